// Training tests share torch's global random generator (dropout, LoRA initialisation) and its thread pool; run one
// at a time so a seeded run is reproducible within the test process.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
