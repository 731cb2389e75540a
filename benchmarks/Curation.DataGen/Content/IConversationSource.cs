using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Makes one realistic example per call; all variation comes from the random source passed to <see cref="Next"/>.</summary>
internal interface IConversationSource
{
    Conversation Next(DeterministicRandom rng);
}
