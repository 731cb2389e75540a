using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Makes one realistic example per call; all variation comes from <paramref name="rng"/>.</summary>
internal interface IConversationSource
{
    Conversation Next(DeterministicRandom rng);
}
