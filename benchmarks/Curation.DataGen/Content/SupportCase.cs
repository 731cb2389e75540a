namespace Curation.DataGen.Content;

/// <summary>The pieces of one support ticket, from which single- and multi-turn conversations are assembled.</summary>
/// <param name="Opening">The customer's first message without a reference number.</param>
/// <param name="OpeningWithReference">The same message that already names the order or account reference.</param>
/// <param name="AskForDetails">The agent asking for what it needs.</param>
/// <param name="Details">The customer's answer with the reference.</param>
/// <param name="Resolution">The agent's answer that solves the case.</param>
/// <param name="FollowUp">An optional last question from the customer and the agent's answer.</param>
internal sealed record SupportCase(
    string Category,
    string Opening,
    string OpeningWithReference,
    string AskForDetails,
    string Details,
    string Resolution,
    (string Question, string Answer)? FollowUp);
