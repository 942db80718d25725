// The tests start real servers, brokers and a browser, and several assert that something happens
// within seconds: on a two-core machine they run one collection at a time so they do not starve
// each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
