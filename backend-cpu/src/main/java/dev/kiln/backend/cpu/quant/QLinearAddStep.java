package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;

/** com.microsoft QLinearAdd of two operands of one shape (the residual adds of a quantized network), by {@link QLinearAddKernel}. */
final class QLinearAddStep implements Step {
    private final Node node;
    private final int a;
    private final int b;
    private final int output;
    private final QLinearAddKernel kernel;
    private final QLinearAddKernel.Params params;

    QLinearAddStep(Node node, int a, int b, int output, QLinearAddKernel kernel, QLinearAddKernel.Params params) {
        this.node = node;
        this.a = a;
        this.b = b;
        this.output = output;
        this.kernel = kernel;
        this.params = params;
    }

    private record State(InputSegments in, ReusedOutput out) {}

    @Override
    public Object newState(StepMemory memory) {
        return new State(new InputSegments(2), memory.output(0, params.unsigned() ? DType.U8 : DType.I8));
    }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(a), z = (Tensor) frame.get(b);
        if (!Arrays.equals(x.shape(), z.shape())) {
            throw new IllegalStateException(node.describe() + ": operands " + Arrays.toString(x.shape()) + " and " + Arrays.toString(z.shape()) + " differ");
        }
        Tensor y = s.out.tensorLike(x);
        kernel.run(s.in.of(0, x), s.in.of(1, z), s.out.segment(), x.size(), params);
        frame.set(output, y);
    }

    @Override
    public String describe() { return node.describe() + ": int8 add, requantized per tensor"; }
}
