using TorchSharp;

namespace Curation.Training.Models;

/// <summary>
/// Numbers used in tensor arithmetic, made into TorchSharp scalars once. A C# number converted to a
/// <see cref="Scalar"/> on the fly is unreachable as soon as its handle is passed to libtorch, so the garbage
/// collector can finalize (free) it while the native call still reads it: under load that surfaced as
/// "toFloat ... Expected false to be true" in generation. Scalars held in fields, or by <c>using</c> for the
/// length of a call, live as long as they are read.
/// </summary>
internal static class Constants
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar Two = 2.ToScalar();
    public static readonly Scalar Three = 3.ToScalar();
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();
}
