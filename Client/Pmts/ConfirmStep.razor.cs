using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pmts;

/// <summary>
/// The second step of an armed action: says what will happen and asks for a confirm or a cancel,
/// both disabled while the request is under way. The page owns the armed state.
/// </summary>
public sealed partial class ConfirmStep : ComponentBase
{
    /// <summary>Prefix of the test ids: <c>{TestId}-armed</c>, <c>-confirm</c>, <c>-cancel</c>.</summary>
    [Parameter, EditorRequired]
    public required string TestId { get; set; }

    /// <summary>The accessible name of the dialog.</summary>
    [Parameter, EditorRequired]
    public required string Label { get; set; }

    /// <summary>What the confirmation will do, in words.</summary>
    [Parameter, EditorRequired]
    public required RenderFragment ChildContent { get; set; }

    [Parameter]
    public string ConfirmText { get; set; } = "Confirm";

    [Parameter]
    public bool Sending { get; set; }

    [Parameter, EditorRequired]
    public EventCallback OnConfirm { get; set; }

    [Parameter, EditorRequired]
    public EventCallback OnCancel { get; set; }
}
