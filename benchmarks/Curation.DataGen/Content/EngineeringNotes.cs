using System.Globalization;
using System.Text;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Plain documents for continued pre-training: release notes, status updates and incident write-ups.</summary>
internal sealed class EngineeringNotes : IConversationSource
{
    private static readonly string[] Products = ["Tallyo", "CloudNest", "PixelPeak", "Lumen Fitness", "Orbit Mobile app", "Brightwave portal", "Kettle & Co. app", "Ferrous Ride"];

    private static readonly string[] Features =
    [
        "dark mode for the settings pages", "CSV export from every report", "single sign-on with SAML", "bulk editing of {0}",
        "a redesigned search with filters", "offline support for {0}", "two-factor authentication with passkeys", "scheduled reports by email",
        "keyboard shortcuts for common actions", "an audit log for admins", "webhooks for {0} events", "a public API for {0}",
        "custom fields on {0}", "shared folders with view-only links", "an activity timeline on each of the {0}", "German and Portuguese translations",
    ];

    private static readonly string[] Fixes =
    [
        "fixed a crash when opening {0} with very long names", "fixed totals being rounded twice in exported reports",
        "fixed notifications arriving twice after reconnecting", "fixed the date picker skipping the last day of the month",
        "fixed slow loading of {0} for accounts with more than 10,000 items", "fixed a layout glitch on small Android screens",
        "fixed sorting by date ignoring the time zone", "fixed a memory leak in the sync service", "fixed search not matching accented characters",
        "fixed the logout button not clearing cached {0}", "fixed an error when uploading files larger than 2 GB",
    ];

    private static readonly string[] Nouns = ["invoices", "projects", "photos", "workouts", "contacts", "orders", "tasks", "albums", "devices"];

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var text = rng.Next(3) switch
        {
            0 => ReleaseNotes(rng),
            1 => StatusUpdate(rng),
            _ => IncidentWriteUp(rng),
        };
        return new Conversation { Turns = [Turn.Assistant(text)], Category = "notes" };
    }

    private static string Fill(DeterministicRandom rng, string template) =>
        string.Format(CultureInfo.InvariantCulture, template, rng.Pick(Nouns));

    private static string ReleaseNotes(DeterministicRandom rng)
    {
        var product = rng.Pick(Products);
        var version = $"{rng.Between(2, 9)}.{rng.Between(0, 30)}.{rng.Between(0, 12)}";
        var date = Fmt.Day(rng.Between(0, 700));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {product} {version} release notes\n\nReleased {Fmt.Long(date)}.\n\n## New\n");
        foreach (var feature in rng.PickDistinct(Features, rng.Between(2, 4)))
        {
            var filled = Fill(rng, feature);
            text.Append(CultureInfo.InvariantCulture, $"- {Fmt.Capitalize(filled)}.\n");
        }

        text.Append("\n## Fixed\n");
        foreach (var fix in rng.PickDistinct(Fixes, rng.Between(2, 5)))
        {
            text.Append(CultureInfo.InvariantCulture, $"- {Fmt.Capitalize(Fill(rng, fix))}.\n");
        }

        if (rng.Chance(0.5))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## Upgrade notes\nThe minimum supported version of {rng.PickOne("iOS is now 16", "Android is now 10", "Windows is now 10 22H2", "macOS is now 13")}. Self-hosted installations must run database migrations before restarting: `{product.Split(' ')[0].ToLowerInvariant()} migrate --to {version}`.\n");
        }

        return text.ToString().TrimEnd();
    }

    private static string StatusUpdate(DeterministicRandom rng)
    {
        var team = rng.Pick(Vocabulary.Teams);
        var week = rng.Between(1, 52);
        var year = rng.Between(2023, 2025);
        var done = rng.PickDistinct(MeetingTopic.All, 2);
        var next = rng.PickDistinct(MeetingTopic.All, 2);
        var risk = rng.Pick(MeetingTopic.All);
        var progress = rng.Between(35, 95);
        return $"""
            {team} weekly update, week {week} of {year}

            Progress: the quarter's main project is about {progress}% complete{(progress > 70 ? " and on track" : ", slightly behind plan")}.

            Done this week: we made progress on {done[0].Subject} and on {done[1].Subject}. {done[0].Decision}

            Next week: we'll {next[0].Action} and {next[1].Action}.

            Risks: {Fmt.Capitalize(risk.Subject)} needs attention. {risk.Decision} If it slips, the release planned for week {Math.Min(52, week + rng.Between(2, 6))} moves too.
            """;
    }

    private static string IncidentWriteUp(DeterministicRandom rng)
    {
        var minutes = rng.Between(12, 240);
        var service = rng.PickOne("the checkout service", "the public API", "the login page", "file sync", "the reporting dashboard", "push notifications");
        var cause = rng.PickOne(
            "a configuration change that lowered a connection limit", "a certificate that expired over the weekend", "a database migration that locked a busy table",
            "a dependency upgrade that changed a default timeout", "a full disk on a queue node", "a retry storm after a brief network blip");
        var date = Fmt.Day(rng.Between(0, 700));
        return $"""
            Incident review: {service} degradation on {Fmt.Long(date)}

            For {minutes} minutes, {service} returned errors or responded slowly for a share of users. The trigger was {cause}. Monitoring caught the problem {rng.Between(2, 15)} minutes after it started, and the on-call engineer rolled back the change once the cause was clear.

            What went well: the rollback procedure worked as documented, and customer support had a status page message within {rng.Between(5, 20)} minutes.

            What we will change: add a pre-deployment check for this kind of change, alert on the leading indicator rather than only on errors, and practise the rollback in the next game day. No data was lost.
            """;
    }
}
