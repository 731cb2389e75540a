using System.Globalization;
using System.Text;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Summarisation of an incident timeline into a short post-incident summary.</summary>
internal sealed class IncidentSummaries : IConversationSource
{
    private static readonly (string Symptom, string Cause, string Fix, string Prevention)[] Scenarios =
    [
        ("5xx errors on checkout", "a database connection pool exhausted by a slow report query", "killed the report query and raised the pool limit", "move reporting to the read replica"),
        ("login latency above 8s", "an expired certificate on the identity provider's internal endpoint causing retries", "renewed the certificate", "alert 30 days before certificate expiry"),
        ("search returning empty results", "a reindex job that swapped the alias before the new index was populated", "pointed the alias back to the previous index", "make the alias swap wait for a document-count check"),
        ("push notifications delayed by up to 2 hours", "a stuck consumer on the notification queue after a deploy", "restarted the consumers and drained the backlog", "add a queue-age alert"),
        ("image uploads failing", "the object storage bucket hitting its request-rate limit after a traffic spike", "enabled request batching and asked the provider to raise the limit", "load-test uploads before marketing campaigns"),
        ("dashboard showing stale data", "a cron job that silently failed after a credentials rotation", "updated the job's credentials and backfilled the missing hours", "make the job exit non-zero and page on failure"),
        ("elevated error rate in the mobile API", "a feature flag enabled for 100% of users instead of 10%", "rolled the flag back to 10%", "require a second reviewer for flag changes above 25%"),
        ("payments stuck in pending", "a webhook endpoint rejecting the provider's new signature format", "deployed support for the new signature format", "subscribe to the provider's API changelog"),
        ("disk full on the primary database", "WAL files piling up because a replication slot was left behind by a decommissioned replica", "dropped the unused replication slot", "monitor replication slot lag"),
        ("emails not being delivered", "the sending domain's SPF record exceeding the 10-lookup limit after adding a new vendor", "flattened the SPF record", "validate DNS changes in CI"),
    ];

    private static readonly string[] Instructions =
    [
        "Summarize this incident timeline for a status page update.",
        "Write a brief post-incident summary from the timeline below: impact, cause, fix, follow-up.",
        "Condense the following incident log into a summary for leadership.",
        "Here's the timeline from our incident channel. Write a short summary I can put in the postmortem doc.",
    ];

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var scenario = rng.Pick(Scenarios);
        var service = rng.PickOne("checkout-api", "auth-service", "search", "notifications", "media-upload", "reporting", "mobile-gateway", "payments", "orders-db", "mailer");
        var date = Fmt.Day(rng.Between(0, 700));
        var start = rng.Between(0, 23 * 60);
        var detect = start + rng.Between(2, 25);
        var mitigate = detect + rng.Between(10, 90);
        var resolve = mitigate + rng.Between(5, 60);
        var responder = rng.Pick(Vocabulary.FirstNames);
        var lead = rng.Pick(Vocabulary.FirstNames);
        var affected = rng.Between(2, 60);

        var log = new StringBuilder();
        log.Append(CultureInfo.InvariantCulture, $"Incident {Fmt.Reference(rng, "INC")} - {service} - {Fmt.Iso(date)} (times UTC)\n");
        log.Append(CultureInfo.InvariantCulture, $"{Fmt.Clock(start)} first errors in logs: {scenario.Symptom}\n");
        log.Append(CultureInfo.InvariantCulture, $"{Fmt.Clock(detect)} alert fired, {responder} on call acknowledges\n");
        log.Append(CultureInfo.InvariantCulture, $"{Fmt.Clock(detect + 4)} {lead} takes incident lead, status page set to investigating\n");
        log.Append(CultureInfo.InvariantCulture, $"{Fmt.Clock((detect + mitigate) / 2)} root cause identified: {scenario.Cause}\n");
        log.Append(CultureInfo.InvariantCulture, $"{Fmt.Clock(mitigate)} mitigation: {scenario.Fix}\n");
        log.Append(CultureInfo.InvariantCulture, $"{Fmt.Clock(resolve)} error rate back to baseline, status page resolved\n");
        log.Append(CultureInfo.InvariantCulture, $"impact: ~{affected}% of requests to {service} affected during the window");

        var duration = resolve - start;
        var summary = $"""
            **Summary:** On {Fmt.Long(date)}, {service} had {scenario.Symptom} for {duration / 60} h {duration % 60} min ({Fmt.Clock(start)} to {Fmt.Clock(resolve)} UTC). About {affected}% of requests were affected.

            **Cause:** {Fmt.Capitalize(scenario.Cause)}.

            **Resolution:** The on-call engineer was alerted {detect - start} minutes after the first errors. The team {scenario.Fix}, and service returned to normal at {Fmt.Clock(resolve)} UTC.

            **Follow-up:** {Fmt.Capitalize(scenario.Prevention)}.
            """;
        return new Conversation
        {
            Turns = [Turn.User(rng.Pick(Instructions)), Turn.Assistant(summary)],
            Input = log.ToString(),
            Category = "summarization",
        };
    }
}
