using Xunit.Abstractions;
using Xunit.Sdk;

namespace Clovers.Monitor.Server.Tests.Storage.Contract;

/// <summary>
/// A contract test: a fact that is skipped, with the store's reason, when the test class it runs
/// in carries a <see cref="StoreAvailabilityAttribute"/> whose store is not there. The attribute
/// sits on the contract's (inherited) methods, so only the concrete class can tell.
/// </summary>
[XunitTestCaseDiscoverer("Clovers.Monitor.Server.Tests.Storage.Contract.StoreFactDiscoverer", "Clovers.Monitor.Server.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>On a contract test class: why its store cannot be reached, or null when it can.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public abstract class StoreAvailabilityAttribute : Attribute
{
    public abstract string? SkipReason { get; }

    public static string? SkipReasonOf(Type? testClass) =>
        testClass?.GetCustomAttributes(typeof(StoreAvailabilityAttribute), inherit: true)
            .Cast<StoreAvailabilityAttribute>()
            .Select(a => a.SkipReason)
            .FirstOrDefault(reason => reason is not null);
}

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new StoreTestCase(
            DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>A fact whose skip reason comes from the test class's store as well as from <c>Skip</c>.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes", error: true)]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(diagnosticMessageSink, display, options, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        StoreAvailabilityAttribute.SkipReasonOf(TestMethod.TestClass.Class.ToRuntimeType()) ?? base.GetSkipReason(factAttribute);
}
