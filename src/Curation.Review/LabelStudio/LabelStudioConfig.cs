namespace Curation.Review.LabelStudio;

/// <summary>The labelling interfaces an export sets up (paste into Settings → Labeling Interface → Code).</summary>
public static class LabelStudioConfig
{
    /// <summary>One conversation: accept or reject, a 1-5 rating, the answer pre-filled for correction, an optional reason.</summary>
    public const string Records = """
        <View>
          <Header value="$selected_because" size="6"/>
          <Paragraphs name="dialogue" value="$messages" layout="dialogue" nameKey="role" textKey="content"/>
          <Header value="Does this example belong in the training set?" size="5"/>
          <Choices name="decision" toName="dialogue" choice="single-radio" required="true" showInline="true">
            <Choice value="accept"/>
            <Choice value="reject"/>
          </Choices>
          <Rating name="rating" toName="dialogue" maxRating="5"/>
          <Header value="Answer: edit it to correct it, or leave it as it is" size="5"/>
          <TextArea name="correction" toName="dialogue" editable="true" maxSubmissions="1" rows="8"/>
          <TextArea name="reason" toName="dialogue" maxSubmissions="1" rows="2" placeholder="Why (optional)"/>
        </View>
        """;

    /// <summary>A near-duplicate pair: duplicate or distinct, and which one to keep.</summary>
    public const string Pairs = """
        <View>
          <Header value="$selected_because" size="6"/>
          <View style="display: flex; gap: 1em;">
            <View style="flex: 50%;">
              <Header value="Kept by the pipeline" size="5"/>
              <Paragraphs name="left" value="$left" layout="dialogue" nameKey="role" textKey="content"/>
            </View>
            <View style="flex: 50%;">
              <Header value="Dropped as its near-duplicate" size="5"/>
              <Paragraphs name="right" value="$right" layout="dialogue" nameKey="role" textKey="content"/>
            </View>
          </View>
          <Choices name="duplicate" toName="left" choice="single-radio" required="true" showInline="true">
            <Choice value="duplicate"/>
            <Choice value="distinct"/>
          </Choices>
          <Header value="If duplicate, click the one to keep" size="5"/>
          <Pairwise name="keep" toName="left,right"/>
        </View>
        """;
}
