using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Writing tasks: short professional emails with the details given in the request.</summary>
internal sealed class EmailWriting : IConversationSource
{
    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var to = rng.Pick(Vocabulary.FirstNames);
        var me = rng.Pick(Vocabulary.FirstNames);
        var date = Fmt.WorkDay(rng.Between(0, 700));
        var (request, body, subject) = rng.Next(6) switch
        {
            0 => DeclineMeeting(rng, to, date),
            1 => AskExtension(rng, to, date),
            2 => InvoiceReminder(rng, to, date),
            3 => ThankInterviewer(rng, to),
            4 => TimeOff(rng, to, date),
            _ => Introduction(rng, to),
        };
        var tone = rng.PickOne(string.Empty, " Keep it short.", " Make it friendly but professional.", " Formal tone please.", " Not too stiff.");
        var email = $"""
            Subject: {subject}

            Hi {to},

            {body}

            Best regards,
            {me}
            """;
        return new Conversation { Turns = [Turn.User(request + tone), Turn.Assistant(email)], Category = "writing" };
    }

    private static (string, string, string) DeclineMeeting(DeterministicRandom rng, string to, DateOnly date)
    {
        var topic = rng.PickOne("the budget review", "the vendor demo", "the quarterly planning session", "the design critique", "the partnership call");
        var reason = rng.PickOne("a customer workshop", "a doctor's appointment", "a release going out that afternoon", "a clash with our board meeting");
        return ($"Write an email to {to} declining the invitation to {topic} on {Fmt.Long(date)} because of {reason}, and offer to send comments in writing.",
            $"""
            Thank you for the invitation to {topic} on {Fmt.Weekday(date)}, {Fmt.Long(date)}. Unfortunately I can't attend because of {reason}.

            I'd still like to contribute, so I'll send my comments in writing by the day before. If it would help, I'm also happy to catch up for 15 minutes afterwards to hear what was decided.
            """,
            $"Re: {Fmt.Capitalize(topic)} on {Fmt.Short(date)}");
    }

    private static (string, string, string) AskExtension(DeterministicRandom rng, string to, DateOnly date)
    {
        var deliverable = rng.PickOne("the market analysis", "the API migration plan", "the translated user guide", "the audit report", "the grant application draft");
        var days = rng.Between(2, 10);
        var reason = rng.PickOne("the data export arrived later than planned", "two people on the team were out sick", "the scope grew after last week's review", "we found inconsistencies in the source figures that I want to resolve first");
        return ($"Draft an email to {to} asking for a {days}-day extension on {deliverable}, due {Fmt.Long(date)}. Reason: {reason}.",
            $"""
            I'm writing about {deliverable}, currently due on {Fmt.Long(date)}. I'd like to ask for an extension of {Fmt.Plural(days, "day")}, to {Fmt.Long(date.AddDays(days))}.

            The reason is that {reason}. Most of the work is done, and the extra time lets me deliver something complete rather than a rushed version.

            If the original date is firm, let me know and I'll send what I have on time, with the open points clearly marked.
            """,
            $"Extension request: {deliverable}");
    }

    private static (string, string, string) InvoiceReminder(DeterministicRandom rng, string to, DateOnly date)
    {
        var invoice = Fmt.Reference(rng, "INV");
        var amount = Fmt.Money(rng.Between(300, 9000), rng.PickOne("$", "€", "£"));
        var days = rng.Between(7, 45);
        return ($"Write a polite payment reminder to {to} for invoice {invoice} ({amount}), which was due on {Fmt.Long(date)} and is {days} days overdue.",
            $"""
            I hope you're well. This is a friendly reminder that invoice {invoice} for {amount} was due on {Fmt.Long(date)} and is now {Fmt.Plural(days, "day")} overdue.

            If the payment is already on its way, please ignore this message. Otherwise, could you let me know when we can expect it? I've attached a copy of the invoice for convenience.

            Thank you, and don't hesitate to reach out if anything on the invoice needs clarifying.
            """,
            $"Reminder: invoice {invoice}");
    }

    private static (string, string, string) ThankInterviewer(DeterministicRandom rng, string to)
    {
        var role = rng.PickOne("Data Analyst", "Backend Engineer", "Product Designer", "Customer Success Manager", "QA Engineer", "Technical Writer");
        var topic = rng.PickOne("how the team handles on-call", "the migration to event-driven services", "your approach to user research", "the plans for the self-service portal", "how you measure documentation quality");
        return ($"Write a short thank-you email to {to} after my interview for the {role} position. Mention that I enjoyed hearing about {topic}.",
            $"""
            Thank you for taking the time to talk with me about the {role} position today. I especially enjoyed hearing about {topic}; it made the role even more appealing.

            I'm very interested in joining the team and am happy to provide anything else you need, such as references or work samples.

            I look forward to hearing from you.
            """,
            $"Thank you: {role} interview");
    }

    private static (string, string, string) TimeOff(DeterministicRandom rng, string to, DateOnly date)
    {
        var days = rng.Between(2, 10);
        var cover = rng.Pick(Vocabulary.FirstNames);
        return ($"Email my manager {to} to request time off from {Fmt.Long(date)} for {days} working days. {cover} has agreed to cover my tickets.",
            $"""
            I'd like to request {Fmt.Plural(days, "working day")} of leave starting {Fmt.Weekday(date)}, {Fmt.Long(date)}.

            {cover} has kindly agreed to cover my open tickets while I'm away, and I'll walk them through everything before I leave. I'll also set an out-of-office reply pointing people to {cover}.

            Please let me know if these dates work for the team.
            """,
            $"Time off request from {Fmt.Short(date)}");
    }

    private static (string, string, string) Introduction(DeterministicRandom rng, string to)
    {
        var other = Vocabulary.FullName(rng);
        var field = rng.PickOne("data privacy law", "embedded firmware", "growth marketing", "supply chain analytics", "accessibility testing");
        return ($"Write an email introducing {to} to {other}, an expert in {field}, who might help with {to}'s new project.",
            $"""
            I'd like to introduce you to {other}, who I worked with for several years and who knows {field} better than anyone I know. I'm copying them here.

            {other}, {to} is starting a new project where your experience could save a lot of time, and I thought you two should talk.

            I'll let you take it from here.
            """,
            $"Introduction: {to} <> {other}");
    }
}
