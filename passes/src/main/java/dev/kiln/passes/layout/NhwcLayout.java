package dev.kiln.passes.layout;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.NhwcOps;

import java.util.List;
import java.util.Map;

/** Channels-last: twins {@code kiln:Nhwc*}, conversions by Transpose. */
public final class NhwcLayout implements ChannelLayout {
    @Override
    public String name() { return "NHWC"; }

    @Override
    public String suffix() { return "_nhwc"; }

    @Override
    public String conversionPrefix(boolean toForm) { return "transpose_"; }

    @Override
    public TensorType form(TensorType nchw) { return NhwcOps.permute(nchw, NhwcOps.TO_NHWC); }

    @Override
    public String whyNoTwin(Node node) { return null; }

    @Override
    public Node twin(Node node, List<Value> inputs, Value out) {
        return new Node(node.name(), "kiln", NhwcOps.twinOf(node.op()), inputs, List.of(out), node.attributes());
    }

    @Override
    public boolean follows(Node node, Graph graph) { return LayoutFollowers.follows(node); }

    @Override
    public String whyNotCarried(Value operand, Value out) { return null; }

    @Override
    public boolean scalarsFollow(Node node) { return true; }

    @Override
    public Node toForm(String name, Value from, Value to) { return transpose(name, from, to, NhwcOps.TO_NHWC); }

    @Override
    public Node toNchw(String name, Value from, Value to) { return transpose(name, from, to, NhwcOps.TO_NCHW); }

    private static Node transpose(String name, Value from, Value to, long[] perm) {
        return new Node(name, "", "Transpose", List.of(from), List.of(to), Map.of("perm", Attribute.ints(perm)));
    }
}
