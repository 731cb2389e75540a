namespace Curation.DataGen.Content;

/// <summary>A subject discussed in a meeting: how it reads in raw notes and in a summary.</summary>
/// <param name="Subject">A short noun phrase for the summary's first paragraph.</param>
/// <param name="Note">Raw-notes line; {0} is the speaker.</param>
/// <param name="Decision">Summary sentence for what was decided.</param>
/// <param name="Action">What the owner has to do (a verb phrase).</param>
internal sealed record MeetingTopic(string Subject, string Note, string Decision, string Action)
{
    public static readonly MeetingTopic[] All =
    [
        new("the PostgreSQL upgrade", "{0}: pg16 upgrade blocked, two extensions not packaged yet. could do it without them?", "The PostgreSQL 16 upgrade waits until the two missing extensions are packaged.", "check the extension packaging status with the vendor"),
        new("on-call load", "{0} says on-call load way up since the alerting change, ~3x pages/week", "The alerting thresholds will be reviewed because on-call pages roughly tripled.", "review the alert thresholds and remove noisy alerts"),
        new("the Q3 roadmap", "{0}: Q3 roadmap draft is in the shared doc, pls comment by fri", "The team will comment on the Q3 roadmap draft by Friday.", "collect comments on the roadmap draft"),
        new("the offsite", "budget for the offsite approved-ish, {0} to confirm venue", "The offsite budget is approved in principle, pending the venue.", "confirm the offsite venue and dates"),
        new("flaky tests", "{0}: flaky e2e tests again, 14% of CI runs red w/o code change", "Flaky end-to-end tests (14% of CI runs failing without code changes) get a dedicated fix-it day.", "quarantine the flakiest tests and file tickets"),
        new("backend hiring", "hiring: 2 backend reqs open, {0} wants a take-home instead of live coding", "Backend interviews will trial a take-home exercise instead of live coding.", "draft the take-home exercise"),
        new("the new onboarding flow", "{0} demoed the new onboarding flow - completion up from 61% to 74% in the test", "The new onboarding flow ships to everyone after raising completion from 61% to 74% in the test.", "roll out the onboarding flow to all users"),
        new("the CDN contract", "{0}: vendor contract for the CDN renews next month, price +18%", "The team will get a competing CDN quote before renewing at 18% more.", "request quotes from two other CDN providers"),
        new("export timeouts", "customer escalations about export timeouts, {0} thinks it's the N+1 query", "Export timeouts are likely caused by an N+1 query and will be fixed this sprint.", "fix the N+1 query in the export job"),
        new("the stand-up time", "{0} proposes moving standup to 9:45 bc of the Lisbon folks", "Stand-up moves to 9:45 to suit colleagues in Lisbon.", "update the stand-up calendar invite"),
        new("the v2 API docs", "docs are out of date for the v2 API, {0} volunteers", "The v2 API documentation will be updated.", "update the v2 API docs"),
        new("the accessibility audit", "{0}: accessibility audit found 23 issues, 5 critical (contrast + keyboard nav)", "The 5 critical accessibility issues (contrast and keyboard navigation) will be fixed before the release.", "fix the five critical accessibility issues"),
        new("staging data", "{0} raised that the staging db is 9 months stale, data refresh needed", "Staging gets a fresh anonymised data copy.", "refresh the staging database with anonymised data"),
        new("service account keys", "security: {0} says 40 service accounts have keys older than 1 year", "Service account keys older than one year will be rotated.", "rotate the old service account keys"),
        new("the 5.2 mobile release", "mobile release 5.2 slipped, crash on Android 10 devices - {0} investigating", "Mobile release 5.2 is delayed until the Android 10 crash is fixed.", "find and fix the Android 10 crash"),
        new("cloud costs", "{0}: cloud bill up 22% MoM, mostly idle GPU instances", "Idle GPU instances, the main cause of a 22% cost rise, will be shut down automatically.", "set up automatic shutdown for idle GPU instances"),
        new("the customer survey", "survey results: {0} shares NPS 41 (was 35), top complaint still search", "NPS rose from 35 to 41; search remains the top complaint and becomes a Q3 priority.", "write a proposal for search improvements"),
        new("the old webhook format", "{0} wants to deprecate the old webhook format, ~30 customers still on it", "The old webhook format will be deprecated with notice to the roughly 30 customers still using it.", "email the customers on the old webhook format"),
        new("backup restore times", "{0}: backups tested, restore took 3h40m vs 2h target", "Restore time (3h40m against a 2h target) needs to come down.", "speed up the backup restore procedure"),
        new("the intern demo", "intern project wrap-up next week, {0} organising demo", "The intern project demo is scheduled for next week.", "organise the intern demo session"),
        new("GDPR deletion requests", "{0}: GDPR deletion requests backlog at 57, some older than 30 days", "The GDPR deletion backlog (57 requests, some past 30 days) is top priority.", "clear the GDPR deletion backlog"),
        new("the pricing test", "pricing page A/B test inconclusive after 3 wks, {0} suggests stopping", "The inconclusive pricing page test will be stopped.", "stop the pricing test and write up the results"),
        new("support macros", "{0}: support macros outdated after the billing change, agents confused", "Support macros will be updated to match the new billing rules.", "rewrite the billing-related support macros"),
        new("the data retention job", "{0} flagged that nobody owns the data retention job", "The data retention job needs an owner.", "take ownership of the data retention job and document it"),
    ];
}
