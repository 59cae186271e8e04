using System.Runtime.InteropServices;

namespace Orchestrator.Llama.Native;

/// <summary>Owns a <c>llama_model*</c>; frees it with <c>llama_model_free</c>.</summary>
internal sealed class SafeLlamaModelHandle() : SafeHandle(nint.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == nint.Zero;

    public static SafeLlamaModelHandle FromRaw(nint raw)
    {
        var h = new SafeLlamaModelHandle();
        h.SetHandle(raw);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        LlamaNative.ModelFree(handle);
        return true;
    }
}

/// <summary>Owns a <c>llama_context*</c>; frees it with <c>llama_free</c>. Keeps its model alive.</summary>
internal sealed class SafeLlamaContextHandle() : SafeHandle(nint.Zero, ownsHandle: true)
{
    private SafeLlamaModelHandle? _model;

    public override bool IsInvalid => handle == nint.Zero;

    public static SafeLlamaContextHandle FromRaw(nint raw, SafeLlamaModelHandle model)
    {
        var h = new SafeLlamaContextHandle();
        var added = false;
        model.DangerousAddRef(ref added);
        h._model = model;
        h.SetHandle(raw);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        LlamaNative.Free(handle);
        _model?.DangerousRelease();
        return true;
    }
}

/// <summary>Owns a <c>llama_sampler*</c> (a chain: freeing it frees the samplers added to it).</summary>
internal sealed class SafeLlamaSamplerHandle() : SafeHandle(nint.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == nint.Zero;

    public static SafeLlamaSamplerHandle FromRaw(nint raw)
    {
        var h = new SafeLlamaSamplerHandle();
        h.SetHandle(raw);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        LlamaNative.SamplerFree(handle);
        return true;
    }
}

/// <summary>Owns a <c>llama_batch</c> made by <c>llama_batch_init</c> (the struct is kept in native memory so the
/// handle is one pointer); frees it with <c>llama_batch_free</c>.</summary>
internal sealed unsafe class SafeLlamaBatchHandle : SafeHandle
{
    public SafeLlamaBatchHandle(int capacity, int maxSequencesPerToken) : base(nint.Zero, ownsHandle: true)
    {
        Capacity = capacity;
        var p = (LlamaBatchNative*)NativeMemory.AllocZeroed((nuint)sizeof(LlamaBatchNative));
        *p = LlamaNative.BatchInit(capacity, 0, maxSequencesPerToken);
        SetHandle((nint)p);
    }

    /// <summary>How many tokens the batch holds at most.</summary>
    public int Capacity { get; }

    public override bool IsInvalid => handle == nint.Zero;

    /// <summary>The native struct; valid while the handle is.</summary>
    public ref LlamaBatchNative Native => ref *(LlamaBatchNative*)handle;

    protected override bool ReleaseHandle()
    {
        var p = (LlamaBatchNative*)handle;
        LlamaNative.BatchFree(*p);
        NativeMemory.Free(p);
        return true;
    }
}
