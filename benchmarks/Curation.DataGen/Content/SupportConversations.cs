using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Customer support chats: a system prompt for most, one to three exchanges.</summary>
internal sealed class SupportConversations : IConversationSource
{
    private delegate SupportCase CaseMaker(DeterministicRandom rng, Company company);

    private static readonly CaseMaker[] Retail =
    [
        SupportIssues.LateDelivery, SupportIssues.DamagedItem, SupportIssues.ChangeAddress, SupportIssues.DoubleCharge,
        SupportIssues.PromoCode, SupportIssues.Warranty,
    ];

    private static readonly CaseMaker[] Subscription =
    [
        SupportIssues.LoginProblem, SupportIssues.CancelSubscription, SupportIssues.ChangePlan, SupportIssues.DoubleCharge,
        SupportIssues.AppCrash, SupportIssues.DataExport, SupportIssues.InvoiceRequest, SupportIssues.PromoCode,
    ];

    private static readonly CaseMaker[] Telecom =
    [
        SupportIssues.SlowConnection, SupportIssues.HighBill, SupportIssues.ChangePlan, SupportIssues.CancelSubscription,
        SupportIssues.LoginProblem, SupportIssues.DataExport,
    ];

    private static readonly string[] Greetings = ["", "", "", "Hi, ", "Hello, ", "Hey, ", "Good morning, "];

    /// <summary>Probability that a multi-turn conversation's first assistant turn is marked weight 0.</summary>
    public double WeightZeroShare { get; init; } = 0.12;

    public double SystemPromptShare { get; init; } = 0.85;

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var company = rng.Pick(Company.All);
        var makers = company.Kind switch
        {
            CompanyKind.Retail => company.Name.StartsWith("Northwind", StringComparison.Ordinal) ? [.. Retail, SupportIssues.ExchangeSize] : Retail,
            CompanyKind.Subscription => Subscription,
            _ => Telecom,
        };
        var supportCase = rng.Pick(makers)(rng, company);
        var agent = rng.Pick(Vocabulary.FirstNames);
        var system = rng.Chance(SystemPromptShare) ? SystemPrompt(rng, company, agent) : null;
        var greeting = rng.Pick(Greetings);

        var turns = new List<Turn>();
        if (rng.Chance(0.4))
        {
            turns.Add(Turn.User(Lead(greeting, supportCase.OpeningWithReference)));
            turns.Add(Turn.Assistant(supportCase.Resolution));
        }
        else
        {
            turns.Add(Turn.User(Lead(greeting, supportCase.Opening)));
            turns.Add(Turn.Assistant(supportCase.AskForDetails));
            turns.Add(Turn.User(supportCase.Details));
            turns.Add(Turn.Assistant(supportCase.Resolution));
            if (supportCase.FollowUp is { } followUp && rng.Chance(0.6))
            {
                turns.Add(Turn.User(followUp.Question));
                turns.Add(Turn.Assistant(followUp.Answer));
            }

            if (rng.Chance(WeightZeroShare))
            {
                // Fine-tuning sets often train only on the final answer: the clarifying question gets weight 0.
                for (var i = 0; i < turns.Count; i++)
                {
                    if (turns[i].Role == Roles.Assistant)
                    {
                        turns[i] = turns[i] with { Weight = i == 1 ? 0 : 1 };
                    }
                }
            }
        }

        return new Conversation { System = system, Turns = turns, Category = supportCase.Category };
    }

    private static string Lead(string greeting, string text) =>
        greeting.Length == 0 || text.StartsWith("Hi", StringComparison.Ordinal) || text.StartsWith("Hello", StringComparison.Ordinal)
            ? text
            : greeting + Fmt.LowerFirst(text);

    private static string SystemPrompt(DeterministicRandom rng, Company company, string agent) => rng.Next(6) switch
    {
        0 => $"You are a customer support assistant for {company.Name}, a company selling {company.Offering}. Be friendly and concise, and never ask for full card numbers or passwords.",
        1 => $"You are {agent}, a support agent at {company.Name}. Answer in plain language, use numbered steps for instructions, and apologise once when something went wrong.",
        2 => $"""
             You work in the support team of {company.Name} ({company.Offering}).
             Rules:
             - Confirm the order or account reference before changing anything.
             - Returns are accepted within {company.ReturnDays} days.
             - Escalate legal threats to a human supervisor.
             """,
        3 => $"You are a helpful assistant answering customer messages for {company.Name}. Keep answers under 150 words unless the customer asks for details.",
        4 => $"Act as a polite and efficient support agent for {company.Name}. The customer may be frustrated; stay calm and focus on solving the problem.",
        _ => "You are a customer service assistant. Be empathetic, precise, and honest about what you can and cannot do.",
    };
}
