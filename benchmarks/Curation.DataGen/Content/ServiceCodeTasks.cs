using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Programming questions about calling services: retries, timeouts, paging, configuration.</summary>
internal static class ServiceCodeTasks
{
    public static (string Question, string Answer) Retry(DeterministicRandom rng, CodeEntity e, string language)
    {
        var attempts = rng.Between(3, 6);
        var baseMs = rng.PickOne(100, 200, 250, 500, 1000);
        var endpoint = $"/api/v{rng.Between(1, 3)}/{e.Plural}";
        var question = CodeSample.Context(rng, language) + (rng.Next(2) == 0
            ? $"The `{endpoint}` endpoint sometimes returns 503. How do I retry the request up to {attempts} times with exponential backoff in {language}?"
            : $"Can you show me a {language} retry helper with exponential backoff? Start at {baseMs} ms, try at most {attempts} times, and only retry on timeouts and 5xx errors.");
        string code;
        string notes;
        switch (language)
        {
            case "Python":
                code = $$"""
                    import random
                    import time

                    import requests

                    RETRYABLE = {500, 502, 503, 504}


                    def get_with_retry(url, attempts={{attempts}}, base_delay={{Fmt.D(baseMs / 1000m, 3)}}):
                        for attempt in range(1, attempts + 1):
                            try:
                                response = requests.get(url, timeout=10)
                                if response.status_code not in RETRYABLE:
                                    response.raise_for_status()
                                    return response.json()
                            except (requests.ConnectionError, requests.Timeout):
                                if attempt == attempts:
                                    raise
                            if attempt == attempts:
                                response.raise_for_status()
                            delay = base_delay * 2 ** (attempt - 1)
                            time.sleep(delay + random.uniform(0, delay / 2))


                    {{e.Plural}} = get_with_retry("https://example.com{{endpoint}}")
                    """;
                notes = $"""
                    - Delays grow {baseMs} ms, {baseMs * 2} ms, {baseMs * 4} ms, ... and a random jitter is added so that many clients don't retry in lockstep.
                    - 4xx responses are raised immediately: retrying a bad request won't fix it.
                    - For production code, the `tenacity` library or `urllib3.Retry` mounted on a `requests.Session` give you the same behaviour with less code.
                    """;
                break;
            case "JavaScript":
                code = $$"""
                    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

                    async function fetchWithRetry(url, attempts = {{attempts}}, baseMs = {{baseMs}}) {
                      for (let attempt = 1; ; attempt++) {
                        try {
                          const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
                          if (response.ok) return await response.json();
                          if (response.status < 500 || attempt === attempts) {
                            throw new Error(`GET ${url} failed with ${response.status}`);
                          }
                        } catch (error) {
                          if (attempt === attempts || !(error.name === "TimeoutError" || error instanceof TypeError)) throw error;
                        }
                        const delay = baseMs * 2 ** (attempt - 1);
                        await sleep(delay + Math.random() * delay * 0.5);
                      }
                    }

                    const {{e.Plural}} = await fetchWithRetry("{{endpoint}}");
                    """;
                notes = """
                    - `AbortSignal.timeout` cancels a request that hangs, which `fetch` would otherwise wait on forever.
                    - `fetch` only rejects on network errors (a `TypeError`) or aborts; HTTP errors come back as responses, so the status is checked explicitly.
                    - The jitter spreads retries from many clients over time.
                    """;
                break;
            case "C#":
                code = $$"""
                    public static async Task<T> GetWithRetryAsync<T>(HttpClient http, string url, CancellationToken ct)
                    {
                        const int attempts = {{attempts}};
                        for (var attempt = 1; ; attempt++)
                        {
                            try
                            {
                                using var response = await http.GetAsync(url, ct);
                                if ((int)response.StatusCode < 500 || attempt == attempts)
                                {
                                    response.EnsureSuccessStatusCode();
                                    return (await response.Content.ReadFromJsonAsync<T>(ct))!;
                                }
                            }
                            catch (HttpRequestException) when (attempt < attempts)
                            {
                            }

                            var delay = TimeSpan.FromMilliseconds({{baseMs}} * Math.Pow(2, attempt - 1));
                            await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, {{baseMs / 2}})), ct);
                        }
                    }
                    """;
                notes = """
                    - The exception filter `when (attempt < attempts)` lets the last failure propagate with its original stack trace.
                    - Passing the `CancellationToken` into `Task.Delay` means a shutdown doesn't wait for the backoff to finish.
                    - In ASP.NET Core apps, `Microsoft.Extensions.Http.Resilience` (built on Polly) configures this declaratively on the `HttpClient`.
                    """;
                break;
            default:
                code = $$"""
                    func GetWithRetry(ctx context.Context, client *http.Client, url string) ([]byte, error) {
                    	const attempts = {{attempts}}
                    	delay := {{baseMs}} * time.Millisecond
                    	for attempt := 1; ; attempt++ {
                    		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
                    		if err != nil {
                    			return nil, err
                    		}
                    		resp, err := client.Do(req)
                    		if err == nil {
                    			body, readErr := io.ReadAll(resp.Body)
                    			resp.Body.Close()
                    			if resp.StatusCode < 500 {
                    				return body, readErr
                    			}
                    			err = fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
                    		}
                    		if attempt == attempts {
                    			return nil, err
                    		}
                    		select {
                    		case <-time.After(delay):
                    			delay *= 2
                    		case <-ctx.Done():
                    			return nil, ctx.Err()
                    		}
                    	}
                    }
                    """;
                notes = """
                    - The body is always read and closed, so the connection goes back to the pool for the next attempt.
                    - The `select` on `ctx.Done()` makes the backoff cancellable.
                    - Statuses below 500 are returned to the caller unchanged, so 4xx handling stays in one place.
                    """;
                break;
        }

        return (question, DataCodeTasks.Answer(rng, language, code, notes));
    }

    public static (string Question, string Answer) Pagination(DeterministicRandom rng, CodeEntity e, string language)
    {
        var pageSize = rng.PickOne(50, 100, 200, 250);
        var question = CodeSample.Context(rng, language) + $"Our API returns {e.Plural} {pageSize} at a time with a `next_cursor` field. How do I fetch all pages in {language}?";
        string code;
        string notes;
        if (language == "Python")
        {
            code = $$"""
                import requests


                def iter_{{e.Plural}}(session: requests.Session, base_url: str):
                    params = {"limit": {{pageSize}}}
                    while True:
                        response = session.get(f"{base_url}/{{e.Plural}}", params=params, timeout=30)
                        response.raise_for_status()
                        page = response.json()
                        yield from page["items"]
                        cursor = page.get("next_cursor")
                        if not cursor:
                            break
                        params["cursor"] = cursor
                """;
            notes = """
                - It's a generator, so callers can start processing the first page while later pages are still being fetched, and memory stays flat.
                - The loop stops when `next_cursor` is missing or empty, which is how most cursor APIs signal the last page.
                """;
        }
        else
        {
            code = $$"""
                async function* iter{{CodeEntity.Pascal(e.Plural)}}(baseUrl) {
                  let cursor = null;
                  do {
                    const url = new URL(`${baseUrl}/{{e.Plural}}`);
                    url.searchParams.set("limit", "{{pageSize}}");
                    if (cursor) url.searchParams.set("cursor", cursor);
                    const response = await fetch(url);
                    if (!response.ok) throw new Error(`HTTP ${response.status}`);
                    const page = await response.json();
                    yield* page.items;
                    cursor = page.next_cursor;
                  } while (cursor);
                }

                for await (const {{e.Singular}} of iter{{CodeEntity.Pascal(e.Plural)}}("https://example.com/api")) {
                  console.log({{e.Singular}}.id);
                }
                """;
            notes = """
                - An async generator lets the caller consume items with `for await`, one page in memory at a time.
                - `URL` and `searchParams` take care of encoding the cursor, which often contains `=` or `/`.
                """;
        }

        return (question, DataCodeTasks.Answer(rng, language, code, notes));
    }

    public static (string Question, string Answer) Timeout(DeterministicRandom rng, CodeEntity e, string language)
    {
        var seconds = rng.Between(2, 30);
        var question = CodeSample.Context(rng, language) + $"How do I give up on loading a {e.Singular} if it takes longer than {Fmt.Plural(seconds, "second")} in {language}?";
        string code;
        string notes;
        switch (language)
        {
            case "Python":
                code = $$"""
                    import asyncio


                    async def load_{{e.Singular}}_or_none({{e.Singular}}_id: int):
                        try:
                            return await asyncio.wait_for(fetch_{{e.Singular}}({{e.Singular}}_id), timeout={{seconds}})
                        except TimeoutError:
                            return None
                    """;
                notes = """
                    - `asyncio.wait_for` cancels the inner task when the timeout expires, so it doesn't keep running in the background.
                    - Since Python 3.11, `asyncio.TimeoutError` is an alias of the built-in `TimeoutError`. On 3.11+ you can also write `async with asyncio.timeout(...)`.
                    """;
                break;
            case "C#":
                code = $$"""
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    cts.CancelAfter(TimeSpan.FromSeconds({{seconds}}));
                    try
                    {
                        return await repository.Get{{e.TypeName}}Async(id, cts.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        return null; // our timeout, not the caller's cancellation
                    }
                    """;
                notes = """
                    - Linking to the caller's token keeps outside cancellation working, and the exception filter tells the two apart.
                    - The repository method must pass the token down to the database or HTTP call; otherwise cancelling has no effect.
                    """;
                break;
            default:
                code = $$"""
                    ctx, cancel := context.WithTimeout(ctx, {{seconds}}*time.Second)
                    defer cancel()

                    {{e.Singular}}, err := store.Get{{e.TypeName}}(ctx, id)
                    if errors.Is(err, context.DeadlineExceeded) {
                    	return nil, fmt.Errorf("loading {{e.Singular}} %d: timed out after {{seconds}}s", id)
                    }
                    """;
                notes = """
                    - Always `defer cancel()` so the context's timer is released even when the call finishes early.
                    - `errors.Is` works even when the error was wrapped by the store.
                    """;
                break;
        }

        return (question, DataCodeTasks.Answer(rng, language, code, notes));
    }

    public static (string Question, string Answer) Debounce(DeterministicRandom rng, CodeEntity e, string language)
    {
        var ms = rng.PickOne(150, 200, 250, 300, 400, 500);
        var question = CodeSample.Context(rng, language) + $"Our {e.Singular} search box calls the API on every keystroke. How do I debounce it to {ms} ms in plain JavaScript?";
        var code = $$"""
            function debounce(fn, waitMs = {{ms}}) {
              let timer;
              return (...args) => {
                clearTimeout(timer);
                timer = setTimeout(() => fn(...args), waitMs);
              };
            }

            const search{{CodeEntity.Pascal(e.Plural)}} = debounce(async (query) => {
              const response = await fetch(`/api/{{e.Plural}}?q=${encodeURIComponent(query)}`);
              render{{CodeEntity.Pascal(e.Plural)}}(await response.json());
            });

            document.querySelector("#search").addEventListener("input", (event) => search{{CodeEntity.Pascal(e.Plural)}}(event.target.value));
            """;
        var notes = $"""
            - Each keystroke resets the timer, so the request only goes out once the user has paused for {ms} ms.
            - Responses can still arrive out of order if the network is slow. Pass an `AbortController` signal to `fetch` and abort the previous request when a new one starts.
            """;
        return (question, DataCodeTasks.Answer(rng, "JavaScript", code, notes));
    }

    public static (string Question, string Answer) ConfigDefaults(DeterministicRandom rng, CodeEntity e, string language)
    {
        var timeout = rng.Between(5, 60);
        var retries = rng.Between(1, 5);
        var file = rng.PickOne("config.json", "settings.json", "app.json", $"{e.Singular}-sync.json");
        var question = CodeSample.Context(rng, language) + $"How should I load `{file}` in {language} so that missing keys fall back to defaults (timeout {timeout}s, {retries} retries)?";
        string code;
        string notes;
        if (language == "Python")
        {
            code = $$"""
                import json
                from dataclasses import dataclass, fields
                from pathlib import Path


                @dataclass(frozen=True)
                class Settings:
                    timeout_seconds: int = {{timeout}}
                    retries: int = {{retries}}
                    {{e.Plural}}_endpoint: str = "https://example.com/api/{{e.Plural}}"


                def load_settings(path: str = "{{file}}") -> Settings:
                    file = Path(path)
                    raw = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
                    known = {f.name for f in fields(Settings)}
                    unknown = set(raw) - known
                    if unknown:
                        raise ValueError(f"{path}: unknown settings {sorted(unknown)}")
                    return Settings(**raw)
                """;
            notes = """
                - Defaults live in one place (the dataclass), and a missing file simply means "all defaults".
                - Unknown keys raise an error, which catches typos like `timeout_second` instead of silently ignoring them.
                """;
        }
        else
        {
            code = $$"""
                type Settings struct {
                	TimeoutSeconds int    `json:"timeout_seconds"`
                	Retries        int    `json:"retries"`
                	Endpoint       string `json:"endpoint"`
                }

                func LoadSettings(path string) (Settings, error) {
                	s := Settings{TimeoutSeconds: {{timeout}}, Retries: {{retries}}, Endpoint: "https://example.com/api/{{e.Plural}}"}
                	data, err := os.ReadFile(path)
                	if errors.Is(err, fs.ErrNotExist) {
                		return s, nil
                	}
                	if err != nil {
                		return s, err
                	}
                	dec := json.NewDecoder(bytes.NewReader(data))
                	dec.DisallowUnknownFields()
                	if err := dec.Decode(&s); err != nil {
                		return s, fmt.Errorf("%s: %w", path, err)
                	}
                	return s, nil
                }
                """;
            notes = """
                - Decoding into a struct that already holds the defaults only overwrites the keys present in the file.
                - `DisallowUnknownFields` turns a misspelled key into an error instead of a silently ignored setting.
                """;
        }

        return (question, DataCodeTasks.Answer(rng, language, code, notes));
    }
}
