namespace Curation.Normalization;

/// <summary>Which Unicode normalisation form every turn is brought to.</summary>
public enum UnicodeForm
{
    /// <summary>Canonical composition: the same text always has the same code points, nothing visible changes.</summary>
    Nfc,

    /// <summary>Compatibility composition: also folds look-alikes (fullwidth letters, ligatures, superscripts, NBSP). Lossy.</summary>
    Nfkc,

    /// <summary>Leave code points as they are.</summary>
    None,
}
