using System.Globalization;
using System.Net;
using System.Text.Json;
using Curation.Core;
using Curation.Serving.Api;
using Curation.Serving.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Curation.Serving;

/// <summary>
/// <c>curate serve</c>: an OpenAI-compatible HTTP server (Kestrel) for one base model and its adapters. Requests from
/// every client share the continuous batch of one <see cref="GenerationScheduler"/>. Stopping (the token) refuses new
/// connections, lets requests in flight finish for up to <see cref="ServeSettings.DrainTimeout"/>, then returns.
/// </summary>
public static class InferenceServer
{
    /// <param name="output">Gets the listening address once bound, a line per request, and the summary at the end.</param>
    /// <exception cref="CurationException">The address cannot be bound (in use, not an address of this machine).</exception>
    public static async Task RunAsync(ServedModel served, ServeSettings settings, TextWriter output, TimeProvider clock, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(settings);
        var log = new AccessLog(output);
        using var scheduler = new GenerationScheduler(served.Model, served.Adapters, served.Device, settings.MaxBatch, settings.MaxQueue, log);
        var app = Build(served, settings, scheduler, clock, log);
        try
        {
            await app.StartAsync(CancellationToken.None);
        }
        catch (IOException ex)
        {
            throw new CurationException($"curate serve: cannot listen on {settings.Host}:{settings.Port.ToString(CultureInfo.InvariantCulture)}: {ex.Message}");
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        log.Line($"listening on {string.Join(", ", addresses)}; models: {string.Join(", ", served.Names)}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }

        log.Line(string.Create(CultureInfo.InvariantCulture, $"stopping: finishing {scheduler.InFlight} requests in flight (at most {settings.DrainTimeout.TotalSeconds:F0} s)"));
        await app.StopAsync(CancellationToken.None);
        scheduler.CloseQueue();
        await scheduler.Stopped;
        await app.DisposeAsync();
        log.Line(string.Create(CultureInfo.InvariantCulture, $"stopped; {log.Answered} requests answered"));
    }

    private static WebApplication Build(ServedModel served, ServeSettings settings, GenerationScheduler scheduler, TimeProvider clock, AccessLog log)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = settings.DrainTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxBodyBytes;
            if (settings.Host == "localhost")
            {
                kestrel.ListenLocalhost(settings.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.TryParse(settings.Host, out var address) ? address : throw new CurationException($"--host: expected an IP address or localhost; got '{settings.Host}'"), settings.Port);
            }
        });
        var app = builder.Build();
        var keys = new ApiKeyCheck(settings.ApiKey);
        var completions = new CompletionHandler(served, scheduler, settings, clock, log);
        app.Use(async (context, next) =>
        {
            try
            {
                keys.Check(context.Request);
                await next(context);
            }
            catch (ApiError error) when (!context.Response.HasStarted)
            {
                if (error.Status == StatusCodes.Status429TooManyRequests)
                {
                    context.Response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                }

                await error.WriteAsync(context.Response);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (!context.Response.HasStarted && ex is not OutOfMemoryException)
            {
                log.Failed(context.Request.Path, ex);
                await new ApiError(StatusCodes.Status500InternalServerError, $"generation failed: {ex.Message}").WriteAsync(context.Response);
            }
        });
        app.MapPost("/v1/chat/completions", completions.ChatAsync);
        app.MapPost("/v1/completions", completions.TextAsync);
        app.MapGet("/v1/models", context => JsonAsync(context, json => ModelList.Write(json, served, clock.GetUtcNow().ToUnixTimeSeconds())));
        app.MapGet("/v1/models/{id}", context =>
        {
            var id = (string)context.Request.RouteValues["id"]!;
            return served.TryResolve(id, out var adapter)
                ? JsonAsync(context, json => ModelList.WriteModel(json, id, adapter is null ? null : served.Name, clock.GetUtcNow().ToUnixTimeSeconds()))
                : throw new ApiError(StatusCodes.Status404NotFound, $"The model '{id}' does not exist here; served: {string.Join(", ", served.Names)}", "model", "model_not_found");
        });
        app.MapGet("/health", context => JsonAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("status", "ok");
            json.WriteNumber("in_flight", scheduler.InFlight);
            json.WriteEndObject();
        }));
        app.MapFallback(context => throw new ApiError(StatusCodes.Status404NotFound, $"No route {context.Request.Method} {context.Request.Path}: this server answers /v1/chat/completions, /v1/completions, /v1/models and /health."));
        return app;
    }

    private static async Task JsonAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        body(json);
        await json.FlushAsync();
    }

    // The command owns Ctrl+C and SIGTERM (it cancels the stop token); the host must not take them as well.
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
