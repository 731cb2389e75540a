using System.Text;
using Curation.DataGen.Content;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Sample;

/// <summary>Decides what goes into each sample file: how many clean records of which kind, and every planted problem.</summary>
internal sealed class SampleBuilder
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ulong _seed;
    private readonly HashSet<string> _contentKeys = new(StringComparer.Ordinal);
    private readonly NearDuplicateGuard _guard = new();
    private readonly Translations _translations;
    private int _piiIndex;

    public SampleBuilder(ulong seed)
    {
        _seed = seed;
        _translations = new Translations(DeterministicRandom.ForStream(seed, "translations"));
    }

    public IReadOnlyList<SampleFile> Build()
    {
        var support = Support();
        var codeHelp = CodeHelp();
        var sql = Sql();
        var instructions = Instructions();
        var more = More();
        var shareGpt = ShareGpt();
        var qa = Qa();
        var faq = Faq();
        var glossary = Glossary();
        var warehouse = Warehouse();
        var notes = Notes();

        // The same example in two formats: a dataset merged from several exports.
        for (var i = 0; i < 5; i++)
        {
            more.PlantCrossCopy(codeHelp, codeHelp.TakeSource(e => e.Conversation!.System is null && e.Conversation.Turns.Count == 2));
        }

        for (var i = 0; i < 4; i++)
        {
            shareGpt.PlantCrossCopy(instructions, instructions.TakeSource(e => e.Conversation!.Category == "math" && e.Conversation.Input is null));
            qa.PlantCrossCopy(shareGpt, shareGpt.TakeSource(e => e.Conversation!.System is null && e.Conversation.Turns.Count == 2));
            warehouse.PlantCrossCopy(sql, sql.TakeSource());
        }

        for (var i = 0; i < 3; i++)
        {
            support.PlantCrossCopy(faq, faq.TakeSource());
        }

        var files = new[] { support, codeHelp, sql, instructions, more, shareGpt, qa, faq, glossary, warehouse, notes };
        foreach (var file in files)
        {
            file.Layout();
        }

        return files;
    }

    private SampleFile NewFile(string path, RecordFormat format, JsonStyle style, string? idPrefix = null, bool writeCategory = false) =>
        new(path, format, style, DeterministicRandom.ForStream(_seed, path), _contentKeys, _guard) { IdPrefix = idPrefix, WriteCategory = writeCategory };

    private SampleFile Support()
    {
        var file = NewFile("openai/support.jsonl", RecordFormat.OpenAi, JsonStyle.PythonDefault, "sup", writeCategory: true);
        var source = new SupportConversations();
        file.AddClean(source, 420);
        Duplicates(file, exact: 6, word: 2, casePunctuation: 2, whitespace: 2, boilerplate: 2);
        file.PlantRawText(PlantedIssue.TruncatedJson, Truncate(file, file.Fresh(source)), "line cut after 60% of its characters");
        file.PlantRawText(PlantedIssue.NotJson, PlantedTexts.NotJsonLines[0], "an HTML error page");
        file.PlantRawBytes(PlantedIssue.InvalidUtf8, InvalidUtf8(file, file.Fresh(source), [0xE9], "caf"), "Latin-1 byte 0xE9 (\"caf\\xE9\")");
        file.Plant(PlantedIssue.WrongType, file.Fresh(source), "every role written as a number (0 system, 1 user, 2 assistant)", WrongType.RoleAsNumber);
        file.Plant(PlantedIssue.WrongType, file.Fresh(source), "messages is one string instead of an array", WrongType.MessagesAsString);
        Responses(file, source, empty: 3, whitespace: 2, shortAnswers: 3, refusals: 2);
        Structure(file, source, noAssistant: 3, consecutiveUsers: 3);
        UnknownRoles(file, source, bot: 2, customer: 2);
        Dirty(file, source, crlf: 2, zeroWidth: 2, bom: 1, control: 2, decomposed: 2, trailing: 2);
        Pii(file, source, email: 3, phone: 3, card: 1, ipv4: 1);
        return file;
    }

    private SampleFile CodeHelp()
    {
        var file = NewFile("openai/code-help.jsonl.gz", RecordFormat.OpenAi, JsonStyle.Compact, "code");
        var source = new CodeHelpConversations(DeterministicRandom.ForStream(_seed, "code-order"), useKnowledgeBank: true);
        file.AddClean(source, 220);
        Duplicates(file, exact: 4, word: 2, boilerplate: 2);
        file.PlantRawText(PlantedIssue.TruncatedJson, Truncate(file, file.Fresh(source)), "line cut after 60% of its characters");
        file.PlantRawText(PlantedIssue.NotJson, PlantedTexts.NotJsonLines[1], "a log line from the export tool");
        file.PlantRawBytes(PlantedIssue.InvalidUtf8, InvalidUtf8(file, file.Fresh(source), [0xFF, 0xFE], "x"), "bytes 0xFF 0xFE inside a string");
        file.Plant(PlantedIssue.WrongType, file.Fresh(source), "content of the last message is null", WrongType.ContentNull);
        Responses(file, source, empty: 1, shortAnswers: 2, refusals: 2);
        Dirty(file, source, crlf: 3, zeroWidth: 1, trailing: 3);
        OverLong(file, source, LongContent.PythonModule, 28_000, 55_000);
        return file;
    }

    private SampleFile Sql()
    {
        var file = NewFile("openai/sql.jsonl.zst", RecordFormat.OpenAi, JsonStyle.Compact, "sql");
        var source = new SqlConversations();
        file.AddClean(source, 260);
        Duplicates(file, exact: 3, casePunctuation: 2, whitespace: 2);
        file.PlantRawText(PlantedIssue.TruncatedJson, Truncate(file, file.Fresh(source)), "line cut after 60% of its characters");
        file.PlantRawBytes(PlantedIssue.InvalidUtf8, InvalidUtf8(file, file.Fresh(source), [0xE2, 0x82], "price "), "the first two bytes of a three-byte sequence (a cut euro sign)");
        Responses(file, source, empty: 2, shortAnswers: 1);
        Structure(file, source, noAssistant: 1);
        return file;
    }

    private SampleFile Instructions()
    {
        var file = NewFile("alpaca/instructions.json", RecordFormat.Alpaca, JsonStyle.PythonIndented);
        var math = new MathConversations();
        file.AddClean(math, 200);
        file.AddClean(new MeetingSummaries(), 80);
        file.AddClean(_translations, 50);
        Duplicates(file, exact: 4, word: 2, boilerplate: 2);
        file.Plant(PlantedIssue.WrongType, file.Fresh(math), "output is a number", WrongType.OutputAsNumber);
        file.Plant(PlantedIssue.WrongType, file.Fresh(math), "instruction is null", WrongType.InstructionNull);
        Responses(file, math, empty: 3, whitespace: 2, shortAnswers: 2, refusals: 1);
        for (var i = 0; i < 3; i++)
        {
            file.Plant(PlantedIssue.DirtyDecomposedUnicode, Defects.Decompose(file.Fresh(_translations, c => Defects.Decompose(c) is not null))!, "accents decomposed (NFD)");
        }

        var table = new Conversation
        {
            Turns = [Turn.User("Make a table converting Celsius to Fahrenheit and Kelvin, starting at -50 °C in steps of 0.5 degrees, as long as you can."), Turn.Assistant(LongContent.ConversionTable(file.Random, 24_000))],
            Category = "math",
        };
        file.Plant(PlantedIssue.OverLongResponse, table, $"{Utf8.GetByteCount(table.Response) / 1000} KB table");
        return file;
    }

    private SampleFile More()
    {
        var file = NewFile("alpaca/more.jsonl", RecordFormat.Alpaca, JsonStyle.Compact);
        var followUps = new MathConversations { FollowUpShare = 1.0 };
        file.AddClean(followUps, 40);
        file.AddClean(new MathConversations(), 20);
        file.AddClean(new IncidentSummaries(), 50, c => WithSystem(file.Random, c, 0.3));
        var emails = new EmailWriting();
        file.AddClean(emails, 60, c => WithSystem(file.Random, c, 0.3));
        file.AddClean(_translations, 30);
        Duplicates(file, exact: 3, casePunctuation: 1, whitespace: 2);
        file.PlantRawText(PlantedIssue.TruncatedJson, Truncate(file, file.Fresh(emails)), "line cut after 60% of its characters");
        file.Plant(PlantedIssue.WrongType, file.Fresh(followUps), "history is a JSON-encoded string instead of an array", WrongType.HistoryAsString);
        Responses(file, emails, empty: 1);
        Dirty(file, emails, crlf: 2, bom: 1, control: 1, controlVariant: 2);
        return file;
    }

    private SampleFile ShareGpt()
    {
        var file = NewFile("sharegpt/conversations.jsonl", RecordFormat.ShareGpt, JsonStyle.Compact, "sg");
        var source = new ShellConversations(DeterministicRandom.ForStream(_seed, "shell-order"));
        file.AddClean(source, 240);
        Duplicates(file, exact: 4, word: 2, boilerplate: 2);
        file.PlantRawText(PlantedIssue.TruncatedJson, Truncate(file, file.Fresh(source)), "line cut after 60% of its characters");
        file.PlantRawText(PlantedIssue.NotJson, PlantedTexts.NotJsonLines[4], "two objects glued together without a newline");
        file.Plant(PlantedIssue.WrongType, file.Fresh(source), "every from written as a number", WrongType.FromAsNumber);
        file.Plant(PlantedIssue.WrongType, file.Fresh(source), "conversations is an object keyed by speaker", WrongType.ConversationsAsObject);
        Responses(file, source, empty: 2, whitespace: 1, shortAnswers: 2, refusals: 1);
        Structure(file, source, noAssistant: 2, consecutiveUsers: 2);
        UnknownRoles(file, source, bot: 1, customer: 1);
        Dirty(file, source, zeroWidth: 2, trailing: 2, control: 1);
        Pii(file, source, email: 1, ipv4: 2);
        OverLong(file, source, LongContent.NginxConfig, 36_000);
        return file;
    }

    private SampleFile Qa()
    {
        var file = NewFile("prompt-completion/qa.jsonl", RecordFormat.PromptCompletion, JsonStyle.Compact);
        foreach (var (prompt, completion) in DevToolFacts.All)
        {
            file.AddClean(new Conversation { Turns = [Turn.User(prompt), Turn.Assistant(completion)], Category = "devtools" });
        }

        var calculations = new QuickCalculations();
        file.AddClean(calculations, 100);
        Duplicates(file, exact: 3, word: 1, casePunctuation: 2);
        file.PlantRawText(PlantedIssue.NotJson, "prompt,completion", "a CSV header line");
        file.Plant(PlantedIssue.WrongType, file.Fresh(calculations), "completion is a number", WrongType.CompletionAsNumber);
        file.Plant(PlantedIssue.WrongType, file.Fresh(calculations), "prompt is an array", WrongType.PromptAsArray);
        Responses(file, calculations, empty: 2, whitespace: 1, shortAnswers: 2, refusals: 1);
        Dirty(file, calculations, crlf: 1, control: 1, controlVariant: 3, decomposed: 1);
        Pii(file, calculations, phone: 1);
        return file;
    }

    private SampleFile Faq()
    {
        var file = NewFile("csv/faq.csv", RecordFormat.FaqCsv, JsonStyle.Compact);
        var fresh = new Queue<Conversation>();
        foreach (var (question, answer, category) in ProductFaq.Entries(file.Random))
        {
            var conversation = Faq(question, answer, category);
            if (fresh.Count < 7)
            {
                if (file.Reserve(conversation))
                {
                    fresh.Enqueue(conversation);
                }
            }
            else
            {
                file.AddClean(conversation);
            }
        }

        Duplicates(file, exact: 2, casePunctuation: 1, boilerplate: 1);
        var next = fresh.Dequeue;
        file.Plant(PlantedIssue.EmptyResponse, next().WithResponse(string.Empty), "empty answer cell");
        file.Plant(PlantedIssue.EmptyResponse, next().WithResponse(string.Empty), "empty answer cell");
        file.Plant(PlantedIssue.WhitespaceResponse, next().WithResponse("   "), "answer is three spaces");
        file.Plant(PlantedIssue.ShortResponse, next().WithResponse("Yes."), "answer \"Yes.\"");
        var withEmail = next();
        file.Plant(PlantedIssue.PiiEmail, withEmail.WithResponse(withEmail.Response + $"\nIf that doesn't work, write to {PlantedTexts.Emails[6]}."), "address in the answer");
        var withPhone = next();
        file.Plant(PlantedIssue.PiiPhone, withPhone.WithResponse(withPhone.Response + $"\nOr call us on {PlantedTexts.Phones[5]}."), "number in the answer");
        file.Plant(PlantedIssue.DirtyTrailingSpaces, Defects.TrailingSpaces(next()), "spaces at the end of lines");
        return file;
    }

    private static Conversation Faq(string question, string answer, string category) =>
        new() { Turns = [Turn.User(question), Turn.Assistant(answer)], Category = category };

    private SampleFile Glossary()
    {
        var file = NewFile("csv/glossary.tsv", RecordFormat.GlossaryTsv, JsonStyle.Compact);
        var all = Content.Glossary.Entries;
        foreach (var (term, definition, domain) in all.Take(all.Length - 1))
        {
            file.AddClean(new Conversation { Turns = [Turn.User(term), Turn.Assistant(definition)], Category = domain });
        }

        Duplicates(file, exact: 1, casePunctuation: 1);
        var (lastTerm, _, lastDomain) = all[^1];
        file.Plant(PlantedIssue.EmptyResponse, new Conversation { Turns = [Turn.User(lastTerm), Turn.Assistant(string.Empty)], Category = lastDomain }, "empty definition");
        return file;
    }

    private SampleFile Warehouse()
    {
        var file = NewFile("parquet/warehouse.parquet", RecordFormat.Parquet, JsonStyle.Compact, "wh");
        var sheets = new SpreadsheetHelp();
        var pandas = new PandasHelp();
        var meetings = new MeetingSummaries { SystemPromptShare = 0.5 };
        file.AddClean(sheets, 100);
        file.AddClean(pandas, 60);
        file.AddClean(meetings, 90);
        file.ShuffleClean();
        Duplicates(file, exact: 3, word: 1, boilerplate: 1);
        Responses(file, meetings, empty: 2);
        Structure(file, sheets, noAssistant: 1);
        UnknownRoles(file, meetings, customer: 1);
        file.Plant(PlantedIssue.WrongType, file.Fresh(meetings), "content of the last message is null", WrongType.ContentNull);
        Pii(file, meetings, email: 1, card: 1);
        return file;
    }

    private SampleFile Notes()
    {
        var file = NewFile("text/notes.jsonl", RecordFormat.Text, JsonStyle.Compact);
        var source = new EngineeringNotes();
        file.AddClean(source, 150);
        Duplicates(file, exact: 3, whitespace: 2, boilerplate: 1);
        file.PlantRawText(PlantedIssue.TruncatedJson, Truncate(file, file.Fresh(source)), "line cut after 60% of its characters");
        file.Plant(PlantedIssue.WrongType, file.Fresh(source), "text is a number", WrongType.TextAsNumber);
        Responses(file, source, empty: 2, whitespace: 1);
        Dirty(file, source, crlf: 2, zeroWidth: 1, control: 1, controlVariant: 1, decomposed: 1, trailing: 1);
        Pii(file, source, email: 1, ipv4: 1);
        OverLong(file, source, LongContent.Changelog, 42_000);
        return file;
    }

    private static Conversation WithSystem(DeterministicRandom rng, Conversation c, double share) =>
        rng.Chance(share)
            ? c with { System = rng.PickOne("You are a helpful assistant.", "You are a concise assistant for a busy operations team.", "You write clearly and professionally.") }
            : c;

    private static void Duplicates(SampleFile file, int exact = 0, int word = 0, int casePunctuation = 0, int whitespace = 0, int boilerplate = 0)
    {
        file.PlantExactDuplicates(exact);
        for (var i = 0; i < word; i++)
        {
            file.PlantNearDuplicate(PlantedIssue.NearDuplicateWord, Defects.ChangeOneWord, e => e.Conversation!.Response.Contains(" the ", StringComparison.Ordinal));
        }

        for (var i = 0; i < casePunctuation; i++)
        {
            file.PlantNearDuplicate(PlantedIssue.NearDuplicateCasePunctuation, Defects.ChangeCaseAndPunctuation);
        }

        for (var i = 0; i < whitespace; i++)
        {
            file.PlantNearDuplicate(PlantedIssue.NearDuplicateWhitespace, Defects.ChangeWhitespace, e => e.Conversation!.Response.Contains("\n\n", StringComparison.Ordinal));
        }

        for (var i = 0; i < boilerplate; i++)
        {
            file.PlantNearDuplicate(PlantedIssue.NearDuplicateBoilerplate, Defects.AppendBoilerplate);
        }
    }

    private static void Responses(SampleFile file, IConversationSource source, int empty = 0, int whitespace = 0, int shortAnswers = 0, int refusals = 0)
    {
        for (var i = 0; i < empty; i++)
        {
            file.Plant(PlantedIssue.EmptyResponse, file.Fresh(source).WithResponse(string.Empty), "last assistant turn is \"\"");
        }

        string[] blanks = ["   ", "\n\n", " \t\n "];
        for (var i = 0; i < whitespace; i++)
        {
            var blank = blanks[i % blanks.Length];
            file.Plant(PlantedIssue.WhitespaceResponse, file.Fresh(source).WithResponse(blank), "last assistant turn is " + Escape(blank));
        }

        for (var i = 0; i < shortAnswers; i++)
        {
            var answer = file.Random.Pick(PlantedTexts.ShortAnswers);
            file.Plant(PlantedIssue.ShortResponse, file.Fresh(source).WithResponse(answer), $"response \"{answer}\"");
        }

        for (var i = 0; i < refusals; i++)
        {
            var refusal = PlantedTexts.Refusals[(i + file.Path.Length) % PlantedTexts.Refusals.Length];
            file.Plant(PlantedIssue.Refusal, file.Fresh(source).WithResponse(refusal), $"response \"{refusal}\"");
        }
    }

    private static void Structure(SampleFile file, IConversationSource source, int noAssistant = 0, int consecutiveUsers = 0)
    {
        for (var i = 0; i < noAssistant; i++)
        {
            file.Plant(PlantedIssue.NoAssistantTurn, Defects.DropAssistantTurns(file.Fresh(source)), "only the first user turn (and system prompt) left");
        }

        for (var i = 0; i < consecutiveUsers; i++)
        {
            var second = PlantedTexts.SecondUserMessages[i % PlantedTexts.SecondUserMessages.Length];
            file.Plant(PlantedIssue.ConsecutiveUserTurns, Defects.DoubleUserTurn(file.Fresh(source), second), $"second user turn \"{second}\"");
        }
    }

    private static void UnknownRoles(SampleFile file, IConversationSource source, int bot = 0, int customer = 0)
    {
        for (var i = 0; i < bot; i++)
        {
            var multiTurn = file.Fresh(source, c => c.Turns.Count(t => t.Role == Roles.Assistant) > 1);
            file.Plant(PlantedIssue.UnknownRole, Defects.RenameFirstRole(multiTurn, Roles.Assistant, "bot"), "the first assistant turn has role \"bot\"");
        }

        for (var i = 0; i < customer; i++)
        {
            file.Plant(PlantedIssue.UnknownRole, Defects.RenameRole(file.Fresh(source), Roles.User, "customer"), "user turns have role \"customer\"");
        }
    }

    private static void Dirty(SampleFile file, IConversationSource source, int crlf = 0, int zeroWidth = 0, int bom = 0, int control = 0, int controlVariant = 0, int decomposed = 0, int trailing = 0)
    {
        for (var i = 0; i < crlf; i++)
        {
            file.Plant(PlantedIssue.DirtyCrLf, Defects.CrLf(file.Fresh(source, c => c.ChatTurns().Any(t => t.Content.Contains('\n', StringComparison.Ordinal)))), "every \\n written as \\r\\n");
        }

        for (var i = 0; i < zeroWidth; i++)
        {
            file.Plant(PlantedIssue.DirtyZeroWidth, Defects.ZeroWidth(file.Fresh(source)), "U+200B inside long words");
        }

        for (var i = 0; i < bom; i++)
        {
            file.Plant(PlantedIssue.DirtyBomInText, Defects.BomInText(file.Fresh(source)), "U+FEFF at the start of the first user turn");
        }

        string[] controlNames = ["ANSI colour codes (ESC)", "a BEL character", "vertical tabs", "a NUL character"];
        for (var i = 0; i < control; i++)
        {
            var variant = controlVariant + i;
            file.Plant(PlantedIssue.DirtyControlChars, Defects.ControlChars(file.Fresh(source), variant), controlNames[variant % 4]);
        }

        for (var i = 0; i < decomposed; i++)
        {
            var conversation = file.Fresh(source);
            var edited = Defects.Decompose(conversation) ?? Defects.Decompose(Defects.AppendToUser(conversation, "(Sent by José from Zürich.)"))!;
            file.Plant(PlantedIssue.DirtyDecomposedUnicode, edited, "accents decomposed (NFD)");
        }

        for (var i = 0; i < trailing; i++)
        {
            file.Plant(PlantedIssue.DirtyTrailingSpaces, Defects.TrailingSpaces(file.Fresh(source, c => c.Response.Contains('\n', StringComparison.Ordinal))), "spaces or a tab at the end of every line");
        }
    }

    private void Pii(SampleFile file, IConversationSource source, int email = 0, int phone = 0, int card = 0, int ipv4 = 0)
    {
        for (var i = 0; i < email; i++)
        {
            var address = PlantedTexts.Emails[_piiIndex++ % PlantedTexts.Emails.Length];
            file.Plant(PlantedIssue.PiiEmail, Defects.AppendToUser(file.Fresh(source), $"You can also reach me at {address}."), address);
        }

        for (var i = 0; i < phone; i++)
        {
            var number = PlantedTexts.Phones[_piiIndex++ % PlantedTexts.Phones.Length];
            file.Plant(PlantedIssue.PiiPhone, Defects.AppendToUser(file.Fresh(source), $"My phone number is {number} if that's easier."), number);
        }

        for (var i = 0; i < card; i++)
        {
            file.Plant(PlantedIssue.PiiCardNumber, Defects.AppendToUser(file.Fresh(source), $"(The card on file is {PlantedTexts.TestCardNumber}.)"), PlantedTexts.TestCardNumber);
        }

        for (var i = 0; i < ipv4; i++)
        {
            var address = PlantedTexts.Ipv4[_piiIndex++ % PlantedTexts.Ipv4.Length];
            file.Plant(PlantedIssue.PiiIpv4, Defects.AppendToUser(file.Fresh(source), $"The server's address is {address}."), address);
        }
    }

    private static void OverLong(SampleFile file, IConversationSource source, Func<DeterministicRandom, int, string> make, params int[] sizes)
    {
        foreach (var size in sizes)
        {
            var response = make(file.Random, size);
            file.Plant(PlantedIssue.OverLongResponse, file.Fresh(source).WithResponse(response), $"{Utf8.GetByteCount(response) / 1000} KB response");
        }
    }

    /// <summary>The record's JSON line cut after 60% of its characters.</summary>
    private static string Truncate(SampleFile file, Conversation conversation)
    {
        var line = file.Serialize(conversation, null);
        return line[..(line.Length * 6 / 10)];
    }

    /// <summary>The record's JSON line with <paramref name="bytes"/> spliced in right after the first <paramref name="anchor"/> in a string.</summary>
    private static byte[] InvalidUtf8(SampleFile file, Conversation conversation, byte[] bytes, string anchor)
    {
        var marked = Defects.AppendToUser(conversation, anchor + "\uE000");
        var line = Utf8.GetBytes(file.Serialize(marked, null));
        var marker = file.Style.AsciiOnly ? Utf8.GetBytes("\\ue000") : Utf8.GetBytes("\uE000");
        var at = line.AsSpan().IndexOf(marker);
        return [.. line.AsSpan(0, at), .. bytes, .. line.AsSpan(at + marker.Length)];
    }

    private static string Escape(string text) =>
        "\"" + text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
}
