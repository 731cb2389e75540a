using System.Globalization;
using Curation.ServeLoad;

// curation-serve-load URL MODEL [CLIENTS] [SECONDS] [MAX_TOKENS]: closed-loop chat completions against a running server.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: curation-serve-load URL MODEL [CLIENTS=64] [SECONDS=30] [MAX_TOKENS=32]");
    return 2;
}

var clients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 30;
var maxTokens = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 32;
var report = await LoadRun.RunAsync(new Uri(args[0].TrimEnd('/') + "/"), args[1], clients, TimeSpan.FromSeconds(Math.Min(seconds, 30)), maxTokens);
Console.WriteLine(report);
foreach (var failure in report.Failures.Take(5))
{
    Console.Error.WriteLine($"failed: {failure}");
}

return report.Failed == 0 ? 0 : 1;
