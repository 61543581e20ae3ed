package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.gemm.PackedMatrix;
import dev.kiln.backend.cpu.linear.Weights;
import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.ops.kiln.KilnOps;
import dev.kiln.ir.ops.onnx.DynamicRecurrentOps;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;
import static dev.kiln.backend.cpu.plan.NodeAttributes.stringAttr;

/**
 * LSTM as one GEMM for the input projection of the whole sequence (W packed at compile time) plus, per time step, a
 * recurrent product and one fused gate kernel ({@link LstmCell}). Taken: one forward direction, layout 0, constant
 * float32 W, R and B, the default activations, no clip, peepholes, input_forget or sequence_lens; any other LSTM
 * (and RNN) stays with the generic kernel. A float32 GRU with linear_before_reset, in any direction, takes
 * {@link GruStep} ({@link GruBinding}). {@code com.microsoft:DynamicQuantizeLSTM} under the same conditions
 * takes the int8 form of the same plan ({@link DynamicLstmBinding}); so does {@code kiln:DynamicQuantizeGRU} with
 * linear_before_reset, in any direction ({@link DynamicGruBinding}).
 */
public final class RecurrentFamily implements CpuKernelFamily {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        VectorSpecies<Integer> ints = VectorSpecies.of(int.class, VectorShape.forBitSize(context.species().vectorBitSize()));
        if (node.domain().equals(DynamicRecurrentOps.MICROSOFT) && node.op().equals(DynamicRecurrentOps.LSTM)) return DynamicLstmBinding.bind(node, graph, slots, ints);
        if (node.domain().equals(KilnOps.DOMAIN) && node.op().equals(DynamicRecurrentOps.GRU)) return DynamicGruBinding.bind(node, graph, slots, ints);
        if (node.domain().isEmpty() && node.op().equals("GRU")) return GruBinding.bind(node, graph, slots);
        if (!node.domain().isEmpty() || !node.op().equals("LSTM") || !isF32(node.input(0)) || !plainForwardLstm(node)) return null;
        Tensor w = constant(graph, node, 1), r = constant(graph, node, 2);
        if (w == null || r == null || w.rank() != 3 || r.rank() != 3 || w.dim(0) != 1 || r.dim(0) != 1) return null;
        int hidden = (int) r.dim(2), input = (int) w.dim(2);
        if (hiddenSize(node, hidden) != hidden || w.dim(1) != 4L * hidden || r.dim(1) != 4L * hidden) return null;
        if (present(node, 4) || present(node, 7)) return null;
        MemorySegment bias = null;
        if (present(node, 3)) {
            Tensor b = constant(graph, node, 3);
            if (b == null || b.size() != 8 * hidden) return null;
            bias = summedBias(b, 4 * hidden);
        }
        for (int i = 5; i <= 6; i++) if (present(node, i) && !isF32(node.input(i))) return null;
        PackedMatrix packedW = Weights.packed(w, true, input, 4 * hidden);
        int[] outputs = new int[3];
        for (int i = 0; i < 3; i++) outputs[i] = i < node.outputs().size() ? slots.of(node.output(i)) : Slots.ABSENT;
        return new LstmStep(node, slots.of(node.input(0)), slot(node, slots, 5), slot(node, slots, 6), outputs, input, hidden,
                packedW, transposed(r, 4 * hidden, hidden), bias);
    }

    /** One forward direction, layout 0, the default activations, no clip and no input_forget. */
    static boolean plainForwardLstm(Node node) {
        return stringAttr(node, "direction", "forward").equals("forward") && intAttr(node, "layout", 0) == 0
                && intAttr(node, "input_forget", 0) == 0 && node.attribute("clip") == null && defaultActivations(node);
    }

    /** The hidden_size attribute, or {@code fallback} without one. */
    static long hiddenSize(Node node, int fallback) { return intAttr(node, "hidden_size", fallback); }

    private static boolean defaultActivations(Node node) {
        Attribute a = node.attribute("activations");
        return a == null || a.asStrings().equals(List.of("Sigmoid", "Tanh", "Tanh"));
    }

    static boolean present(Node node, int input) {
        return node.inputs().size() > input && !node.input(input).isAbsent();
    }

    static int slot(Node node, Slots slots, int input) {
        return present(node, input) ? slots.of(node.input(input)) : Slots.ABSENT;
    }

    private static Tensor constant(Graph graph, Node node, int input) {
        return present(node, input) ? Weights.constant(graph, node.input(input)) : null;
    }

    /** Wb + Rb, the two halves of B, as one bias per gate column. */
    private static MemorySegment summedBias(Tensor b, int n) {
        MemorySegment out = Arena.ofAuto().allocate((long) n * Float.BYTES, 64);
        for (int j = 0; j < n; j++) out.set(F, j * 4L, (float) (b.getDouble(j) + b.getDouble(n + j)));
        return out;
    }

    /** R ({@code rows × cols}) transposed into {@code cols × rows}, so a hidden value scales a contiguous row. */
    private static MemorySegment transposed(Tensor r, int rows, int cols) {
        MemorySegment out = Arena.ofAuto().allocate((long) rows * cols * Float.BYTES, 64);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) out.set(F, ((long) k * rows + i) * 4, (float) r.getDouble(i * cols + k));
        }
        return out;
    }
}
