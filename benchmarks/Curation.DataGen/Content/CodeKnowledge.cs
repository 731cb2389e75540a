namespace Curation.DataGen.Content;

/// <summary>Hand-written programming questions: error messages explained and concepts compared.</summary>
internal static class CodeKnowledge
{
    public static readonly (string Question, string Answer)[] Entries =
    [
        ("I get `KeyError: 'email'` when I read a dict in Python. The key is there in most records. How do I handle it?",
         """
         `KeyError` means that particular dict has no `'email'` key. It happens with data where some records leave out optional fields. Three common fixes:

         ```python
         # 1. Default value when the key is missing
         email = record.get("email", "")

         # 2. Skip records without it
         if "email" not in record:
             continue

         # 3. Fail with a message that says which record is wrong
         try:
             email = record["email"]
         except KeyError:
             raise ValueError(f"record {record.get('id')} has no email") from None
         ```

         Use option 1 when a missing value is normal, and option 3 when it signals bad input you want to hear about.
         """),
        ("What does `TypeError: Cannot read properties of undefined (reading 'map')` mean in React?",
         """
         You're calling `.map` on something that is `undefined`, usually because the data hasn't loaded yet on the first render:

         ```javascript
         const [items, setItems] = useState();   // undefined at first
         return <ul>{items.map((i) => <li key={i.id}>{i.name}</li>)}</ul>;
         ```

         Give the state an empty array as its initial value, or guard the render:

         ```javascript
         const [items, setItems] = useState([]);
         // or
         return <ul>{items?.map((i) => <li key={i.id}>{i.name}</li>)}</ul>;
         ```

         If the value comes from an API response, also check that the field name matches, e.g. `data.results` rather than `data.items`.
         """),
        ("Why does Python say `IndentationError: unexpected indent`?",
         """
         Python uses indentation to group statements, and that line is indented more than the block it belongs to expects. Typical causes:

         - A stray space or tab at the start of a line that should line up with the previous one.
         - Mixing tabs and spaces: the two can look the same in your editor but mean different things to Python.
         - Pasting code from a website that added indentation.

         ```python
         def total(prices):
             result = sum(prices)
               return result   # <- indented two spaces too far
         ```

         Set your editor to insert 4 spaces for a tab and enable "show whitespace". Running `python -m tabnanny file.py` reports lines with inconsistent indentation.
         """),
        ("What's a `NullReferenceException` in C# and how do I find which variable is null?",
         """
         It's thrown when you access a member (method, property, index) through a reference that is `null`. The stack trace gives you the line number; when a line has several dereferences, split it up or check in the debugger which one is null.

         Enable nullable reference types so the compiler warns you in advance:

         ```xml
         <PropertyGroup>
           <Nullable>enable</Nullable>
         </PropertyGroup>
         ```

         Then handle the null cases explicitly:

         ```csharp
         var city = customer?.Address?.City ?? "unknown";

         ArgumentNullException.ThrowIfNull(order);   // fail fast at method boundaries
         ```
         """),
        ("Go panics with `assignment to entry in nil map`. What am I doing wrong?",
         """
         A map declared with `var m map[string]int` is `nil`: you can read from it, but writing panics. Create it with `make` (or a literal) before writing:

         ```go
         counts := make(map[string]int)
         counts["apples"]++

         // or as a struct field, initialise in the constructor
         type Index struct {
         	byName map[string]int
         }

         func NewIndex() *Index {
         	return &Index{byName: make(map[string]int)}
         }
         ```

         This often shows up with struct fields, because the zero value of a struct has `nil` maps.
         """),
        ("Rust error E0502: cannot borrow `v` as mutable because it is also borrowed as immutable. How do I fix this?",
         """
         You hold a shared reference into `v` (for example from `v.first()` or an iterator) and then try to change `v` while that reference is still in use. The borrow checker prevents this, because a push can reallocate the vector and leave the reference dangling.

         ```rust
         let first = v.first();   // immutable borrow
         v.push(4);               // mutable borrow while `first` is alive
         println!("{:?}", first);
         ```

         Fixes, depending on what you need:

         ```rust
         // Copy the value out so no reference is kept
         let first = v.first().copied();
         v.push(4);

         // Or finish using the reference before mutating
         println!("{:?}", v.first());
         v.push(4);
         ```
         """),
        ("ModuleNotFoundError: No module named 'requests', but I installed it with pip. Why?",
         """
         Almost always, `pip` installed into a different Python interpreter than the one running your script. Check both:

         ```bash
         which python
         python -m pip --version
         ```

         Install with the same interpreter you run:

         ```bash
         python -m pip install requests
         ```

         Better still, use a virtual environment per project:

         ```bash
         python -m venv .venv
         source .venv/bin/activate
         pip install requests
         ```

         In VS Code, select the `.venv` interpreter (Python: Select Interpreter) so the editor and terminal agree.
         """),
        ("My fetch call fails with a CORS error: 'No Access-Control-Allow-Origin header is present'. How do I fix it on the frontend?",
         """
         You can't fix it on the frontend alone. CORS is enforced by the browser, based on headers the server sends. The API has to allow your origin:

         ```http
         Access-Control-Allow-Origin: https://app.example.com
         Access-Control-Allow-Methods: GET, POST
         Access-Control-Allow-Headers: Content-Type, Authorization
         ```

         Options:
         - If you control the API, configure CORS there (for example the `cors` middleware in Express, or `AddCors` in ASP.NET Core).
         - In development, proxy API calls through your dev server (Vite's `server.proxy`), so the browser sees a same-origin request.
         - Don't use `mode: "no-cors"`: it makes the response unreadable, which is rarely what you want.
         """),
        ("What does `RecursionError: maximum recursion depth exceeded` mean?",
         """
         A function called itself (directly or through others) more than about 1000 levels deep, Python's default limit. Either the recursion never reaches its base case, or the input is legitimately deep.

         Check the base case first:

         ```python
         def depth(node):
             if node is None:          # base case: without it, this never stops
                 return 0
             return 1 + max(depth(node.left), depth(node.right))
         ```

         For deep but valid inputs (a long linked list, a deep directory tree), rewrite the recursion as a loop with an explicit stack. Raising the limit with `sys.setrecursionlimit` only moves the problem and can crash the interpreter.
         """),
        ("Why do I get `UnboundLocalError: local variable 'count' referenced before assignment`?",
         """
         Because the function assigns to `count` somewhere, Python treats `count` as local in the whole function, including the line that reads it before the assignment:

         ```python
         count = 0

         def increment():
             count += 1   # reads local `count`, which doesn't exist yet
         ```

         If you really mean the module-level variable, declare it: `global count` (or `nonlocal count` inside a nested function). Usually it's cleaner to pass the value in and return the new one, or keep the state in an object.
         """),
        ("`error CS0029: Cannot implicitly convert type 'System.Threading.Tasks.Task<string>' to 'string'`. What's wrong?",
         """
         You're assigning the result of an async method without awaiting it. The method returns a `Task<string>`, a promise of a string, not the string itself:

         ```csharp
         string body = client.GetStringAsync(url);        // CS0029
         string body = await client.GetStringAsync(url);  // OK
         ```

         The calling method must then be `async` too (returning `Task` or `Task<T>`). Avoid `.Result` or `.Wait()` as a shortcut: they block a thread and can deadlock in UI and older ASP.NET apps.
         """),
        ("In JavaScript, why does `0.1 + 0.2 === 0.3` return false?",
         """
         JavaScript numbers are 64-bit binary floating point (IEEE 754). Neither 0.1 nor 0.2 can be represented exactly in binary, so their sum is `0.30000000000000004`.

         Compare with a tolerance:

         ```javascript
         const nearlyEqual = (a, b) => Math.abs(a - b) < Number.EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
         nearlyEqual(0.1 + 0.2, 0.3); // true
         ```

         For money, don't use floats at all: store integer cents (`1999` instead of `19.99`), or use a decimal library. When you display values, `toFixed(2)` rounds for output only.
         """),
        ("What's the difference between a list and a tuple in Python?",
         """
         Both are ordered sequences. The differences that matter in practice:

         | | list | tuple |
         |---|---|---|
         | Mutable | yes (`append`, `sort`, item assignment) | no |
         | Hashable | no | yes, if its items are |
         | Typical use | a collection of similar items that changes | a fixed record, like `(lat, lon)` |

         Because tuples are hashable, they can be dict keys or set members:

         ```python
         distances = {("Lisbon", "Porto"): 313}
         ```

         Use a list when you'll add or remove items, and a tuple (or a `NamedTuple`/dataclass) for a fixed group of fields.
         """),
        ("When should I use `==` versus `is` in Python?",
         """
         `==` compares values (it calls `__eq__`), while `is` checks whether two names refer to the very same object.

         ```python
         a = [1, 2]
         b = [1, 2]
         a == b   # True: same contents
         a is b   # False: two different list objects
         ```

         Use `is` only for singletons: `x is None`, `x is True` in rare cases, or sentinel objects. Small integers and short strings may appear to work with `is` because CPython caches them, but that's an implementation detail you shouldn't rely on.
         """),
        ("let vs const vs var in JavaScript: which should I use?",
         """
         - `const`: block-scoped, can't be reassigned. Use it by default.
         - `let`: block-scoped, can be reassigned. Use it for counters and values that really change.
         - `var`: function-scoped and hoisted. Avoid it in new code.

         ```javascript
         const user = { name: "Ana" };
         user.name = "Bia";   // allowed: the object is mutable, the binding isn't
         // user = {};        // TypeError: assignment to constant variable

         for (let i = 0; i < 3; i++) {
           setTimeout(() => console.log(i));  // 0 1 2 (with var: 3 3 3)
         }
         ```
         """),
        ("In C#, when should I use a struct instead of a class?",
         """
         Use a `struct` for small, immutable values that behave like numbers: a coordinate, a money amount, a date range. Use a `class` for everything else.

         Rules of thumb for structs:
         - Small (roughly 16 bytes or less), because structs are copied on assignment and when passed as arguments.
         - Immutable: write `readonly struct` or `readonly record struct`, so a copy can't drift from the original.
         - No identity: two values with equal fields are the same thing.

         ```csharp
         public readonly record struct Money(decimal Amount, string Currency);
         ```

         Watch out for boxing: putting a struct in an `object` or a non-generic interface allocates a heap copy.
         """),
        ("What's the difference between an interface and an abstract class in C#?",
         """
         An interface describes what a type can do. An abstract class is a partially built base class that shares code and state.

         - A class can implement many interfaces but inherit from only one class.
         - Abstract classes can have fields and constructors; interfaces can't hold instance state.
         - Interfaces can have default method implementations (since C# 8), but this is meant for evolving an API, not for sharing logic.

         Prefer interfaces for contracts between components (`IClock`, `IRepository<T>`), which also makes testing with fakes easy. Reach for an abstract class when several implementations really share a template method or protected helpers.
         """),
        ("async/await vs threads: what's the difference?",
         """
         Threads give you parallelism: several pieces of code running at the same time on different cores. `async`/`await` gives you concurrency for I/O: while one operation waits on the network or disk, the thread is free to do other work.

         - CPU-bound work (image processing, hashing): use threads or a pool, e.g. `Parallel.ForEach` or `multiprocessing` in Python.
         - I/O-bound work (HTTP calls, database queries): use async, so thousands of waits don't each hold a thread.

         ```python
         # I/O bound: 100 requests concurrently on one thread
         results = await asyncio.gather(*(fetch(url) for url in urls))
         ```

         Blocking calls such as `time.sleep` or synchronous HTTP inside an async function stall everything else on that event loop.
         """),
        ("What's the difference between `git merge` and `git rebase`?",
         """
         Both integrate changes from one branch into another.

         - `git merge main` adds a merge commit that joins the two histories. Nothing is rewritten, so it's safe on shared branches.
         - `git rebase main` replays your commits on top of `main`, giving a linear history, but it rewrites your commits (new hashes).

         ```bash
         git switch feature
         git rebase main          # linear history, rewritten commits
         git push --force-with-lease
         ```

         Rule of thumb: rebase your own local or feature branches to tidy them up, and never rebase commits that others have already pulled.
         """),
        ("What is the difference between a process and a thread?",
         """
         A process is a running program with its own memory space; a thread is a unit of execution inside a process, and all threads of a process share its memory.

         - Processes are isolated: a crash in one doesn't corrupt another, but communicating between them needs pipes, sockets or shared memory.
         - Threads are cheaper to create and can share data directly, which is also why they need locks to avoid races.

         In CPython, the GIL means threads don't run Python bytecode in parallel, so CPU-heavy Python code uses `multiprocessing` instead of threads. I/O-heavy code works fine with threads or asyncio.
         """),
        ("What does Big-O notation O(n log n) actually mean?",
         """
         It describes how the running time grows with the input size n, ignoring constant factors. O(n log n) means doubling the input makes the work a bit more than double.

         Typical examples:
         - O(1): dictionary lookup
         - O(log n): binary search
         - O(n): one pass over a list
         - O(n log n): efficient sorting (merge sort, Timsort)
         - O(n²): comparing every pair, such as nested loops over the same list

         For 1 million items, n log n is about 20 million steps, while n² is a trillion. That's why replacing a nested loop with a sort or a hash set often turns minutes into milliseconds.
         """),
        ("Why is my Python script using only one CPU core?",
         """
         CPython's Global Interpreter Lock (GIL) lets only one thread run Python bytecode at a time, so `threading` doesn't speed up CPU-bound code.

         To use all cores:

         ```python
         from concurrent.futures import ProcessPoolExecutor

         with ProcessPoolExecutor() as pool:
             results = list(pool.map(process_file, paths, chunksize=16))
         ```

         Other options: NumPy and pandas release the GIL inside their C routines, so vectorised code is often fast enough without parallelism. The free-threaded build of Python 3.13 removes the GIL, but it is still experimental.
         """),
        ("What's the difference between `null` and `undefined` in JavaScript?",
         """
         `undefined` means "no value was ever assigned": missing properties, unset variables, missing function arguments. `null` is a value you assign on purpose to mean "nothing here".

         ```javascript
         let a;            // undefined
         const b = null;   // explicitly empty
         typeof a;         // "undefined"
         typeof b;         // "object" (a historical quirk)
         a == b;           // true
         a === b;          // false
         ```

         `a ?? fallback` treats both as missing. In JSON only `null` exists: properties with value `undefined` are dropped by `JSON.stringify`.
         """),
        ("How do I fix 'fatal: refusing to merge unrelated histories'?",
         """
         Git refuses because the two branches have no common ancestor. This usually happens when you created a repository with a README on the hosting site and also ran `git init` locally.

         If you really want to combine them:

         ```bash
         git pull origin main --allow-unrelated-histories
         # resolve any conflicts (often README or .gitignore), then
         git commit
         ```

         If the remote only has an auto-generated README, it can be simpler to clone the remote and copy your files into it.
         """),
        ("What is a race condition? Can you show a simple example?",
         """
         A race condition is a bug where the result depends on the timing of concurrent operations. The classic example is two threads incrementing a shared counter:

         ```python
         import threading

         counter = 0

         def work():
             global counter
             for _ in range(100_000):
                 counter += 1   # read, add, write: not atomic

         threads = [threading.Thread(target=work) for _ in range(4)]
         for t in threads: t.start()
         for t in threads: t.join()
         print(counter)  # may be less than 400000
         ```

         Protect the read-modify-write with a lock (`with lock: counter += 1`), or avoid shared state by having each thread return its own count and summing at the end.
         """),
    ];
}
