using Curation.Cli;

return await CurateApp.RunAsync(args, Console.Out, Console.Error);
