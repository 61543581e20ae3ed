package dev.kiln.passes.layout;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.NchwcOps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NCHWc with channel block {@code block}: twins {@code kiln:Nchwc*}, conversions by {@code kiln:ToBlocked} /
 * {@code kiln:FromBlocked}. Only followers mapping zero to zero move, so the pad lanes stay zero (a blocked kernel
 * may then run over them, as zero-padded weights expect, without NaN or Inf leaking in). Blocking needs a static channel count, and a follower's 4-D operands must have the
 * result's channels (one broadcast over channels would put its single channel in lane 0 only).
 */
public final class BlockedLayout implements ChannelLayout {
    private final long block;

    public BlockedLayout(long block) { this.block = block; }

    @Override
    public String name() { return "NCHW" + block + "c"; }

    @Override
    public String suffix() { return "_nchwc"; }

    @Override
    public String conversionPrefix(boolean toForm) { return toForm ? "to_blocked_" : "from_blocked_"; }

    @Override
    public TensorType form(TensorType nchw) { return NchwcOps.blocked(nchw, block); }

    @Override
    public String whyNoTwin(Node node) {
        if (!staticChannels(node.input(0)) || !staticChannels(node.output(0))) {
            return "its data or result has no static channel count to block";
        }
        return null;
    }

    @Override
    public Node twin(Node node, List<Value> inputs, Value out) {
        Map<String, Attribute> attrs = new LinkedHashMap<>(node.attributes());
        attrs.put("block", Attribute.of(block));
        attrs.put("channels", Attribute.of(channels(node.input(0))));
        return new Node(node.name(), "kiln", NchwcOps.twinOf(node.op()), inputs, List.of(out), attrs);
    }

    @Override
    public boolean follows(Node node, Graph graph) { return LayoutFollowers.keepsZeros(node, graph); }

    @Override
    public String whyNotCarried(Value operand, Value out) {
        if (!staticChannels(operand) || !staticChannels(out)) return "%" + operand.name() + " has no static channel count";
        if (channels(operand) != channels(out)) return "%" + operand.name() + " broadcasts over channels";
        return null;
    }

    @Override
    public boolean scalarsFollow(Node node) { return LayoutFollowers.scalarKeepsZeros(node); }

    @Override
    public Node toForm(String name, Value from, Value to) {
        return new Node(name, "kiln", "ToBlocked", List.of(from), List.of(to), Map.of("block", Attribute.of(block)));
    }

    @Override
    public Node toNchw(String name, Value from, Value to) {
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        attrs.put("block", Attribute.of(block));
        attrs.put("channels", Attribute.of(channels(to)));
        return new Node(name, "kiln", "FromBlocked", List.of(from), List.of(to), attrs);
    }

    private static boolean staticChannels(Value v) {
        return v.type() instanceof TensorType t && t.shape().hasRank() && t.shape().rank() == 4 && t.shape().dim(1).isStatic();
    }

    private static long channels(Value v) {
        Dim c = ((TensorType) v.type()).shape().dim(1);
        return c.size();
    }
}
