package dev.kiln.ir;

import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kiln.ir.DType.F32;
import static dev.kiln.ir.DType.I64;
import static dev.kiln.ir.SampleGraphs.attrs;
import static dev.kiln.ir.SampleGraphs.node;
import static dev.kiln.ir.SampleGraphs.opsets;
import static dev.kiln.ir.SampleGraphs.t;
import static dev.kiln.ir.SampleGraphs.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IrVerifierTest {
    private static final Value X = v("x", t(F32, 2, 3));
    private static final Value Y = v("y", t(F32, 2, 3));
    private static final Value Z = v("z", t(F32, 2, 3));

    private static Graph graph(List<Value> inputs, List<Value> outputs, Node... nodes) {
        return new Graph("g", inputs, outputs, List.of(nodes), Map.of(), opsets());
    }

    private static Node add(String name, Value a, Value b, Value out) { return node(name, "Add", List.of(a, b), List.of(out), Map.of()); }

    private static List<String> problems(Graph g) {
        return IrVerifier.standard().verify(g).stream().map(IrDiagnostic::toString).toList();
    }

    @Test
    void validGraphVerifiesClean() {
        assertEquals(List.of(), problems(SampleGraphs.valid()));
        IrVerifier.standard().verifyOrThrow(SampleGraphs.valid());
    }

    @Test
    void valueDefinedTwice() {
        Graph g = graph(List.of(X), List.of(Y), add("a", X, X, Y), add("b", X, X, Y));
        assertEquals(List.of("@g: node 'b' (test.kiln:Add): output 0 'y' is already defined by node 'a' (test.kiln:Add)"), problems(g));
    }

    @Test
    void constantThatIsAlsoAnInput() {
        Graph g = new Graph("g", List.of(X), List.of(X), List.of(), Map.of("x", Tensor.zeros(F32, 2, 3)), opsets());
        assertEquals(List.of("@g: constant 'x' is already defined by graph input 0"), problems(g));
    }

    @Test
    void subgraphRedefiningAnEnclosingName() {
        Graph then = new Graph("then", List.of(), List.of(X), List.of(add("inner", Y, Y, X)), Map.of(), opsets());
        Graph g = graph(List.of(X, v("c", t(DType.BOOL))), List.of(Y), add("a", X, X, Y), ifNode("if", then, then, v("r", X.type())));
        assertEquals(List.of("@g/if.then_branch: node 'inner' (test.kiln:Add): output 0 'x' is already defined in an enclosing graph",
                "@g/if.else_branch: node 'inner' (test.kiln:Add): output 0 'x' is already defined in an enclosing graph"), problems(g));
    }

    @Test
    void useBeforeDefinition() {
        Graph g = graph(List.of(X), List.of(Z), add("first", Y, X, Z), add("second", X, X, Y));
        assertEquals(List.of("@g: node 'first' (test.kiln:Add): input 0 'y' is used before node 'second' (test.kiln:Add) defines it"),
                problems(g));
    }

    @Test
    void cycleIsNamedOnce() {
        Value w = v("w", X.type());
        Graph g = graph(List.of(X), List.of(Z), add("a", X, w, Y), add("b", Y, X, Z), add("c", Z, X, w), add("self", Y, v("s", X.type()), v("s", X.type())));
        assertEquals(List.of("@g: cycle: node 'a' (test.kiln:Add) -> node 'b' (test.kiln:Add) -> node 'c' (test.kiln:Add) -> node 'a' (test.kiln:Add)",
                "@g: cycle: node 'self' (test.kiln:Add) -> node 'self' (test.kiln:Add)"), problems(g));
    }

    @Test
    void subgraphReadingAValueDefinedLater() {
        Graph then = new Graph("then", List.of(), List.of(Z), List.of(), Map.of(), opsets());
        Value r = v("r", Z.type());
        Graph g = graph(List.of(X, v("c", t(DType.BOOL))), List.of(r), ifNode("if", then, then, r), add("late", X, X, Z));
        assertEquals(List.of("@g: node 'if' (test.kiln:If): a subgraph reads 'z' before node 'late' (test.kiln:Add) defines it"), problems(g));
    }

    @Test
    void danglingNames() {
        Graph g = graph(List.of(X), List.of(Y, v("nowhere", X.type())), add("a", X, v("ghost", X.type()), Y));
        assertEquals(List.of("@g: node 'a' (test.kiln:Add): input 1 'ghost' is not defined", "@g: graph output 'nowhere' is not defined"),
                problems(g));
    }

    @Test
    void unnamedGraphInputsAndOutputs() {
        Graph g = graph(List.of(X, Value.ABSENT), List.of(Value.ABSENT, X));
        assertEquals(List.of("@g: graph input 1 has no name", "@g: graph output 0 has no name"), problems(g));
    }

    @Test
    void unknownOp() {
        Graph g = graph(List.of(X), List.of(Y), node("m", "Mystery", List.of(X), List.of(Y), Map.of()));
        assertEquals(List.of("@g: node 'm' (test.kiln:Mystery): unknown op"), problems(g));
    }

    @Test
    void opsetMissingOrTooOld() {
        Value shape = v("shape", t(I64, 2));
        Node reshape = node("r", "Reshape", List.of(X, shape), List.of(v("out", t(F32, "?", "?"))), Map.of());
        Graph old = new Graph("g", List.of(X, shape), List.of(), List.of(reshape), Map.of(), Map.of(SampleGraphs.D, 1));
        assertEquals(List.of("@g: node 'r' (test.kiln:Reshape): op exists since opset 2, the graph imports opset 1"), problems(old));
        Graph none = old.withOpsets(Map.of("", 17));
        assertEquals(List.of("@g: node 'r' (test.kiln:Reshape): the graph imports no opset of domain 'test.kiln'"), problems(none));
    }

    @Test
    void inputAndOutputCounts() {
        Graph g = graph(List.of(X), List.of(Y), node("a", "Add", List.of(X, X, X), List.of(Y, Z), Map.of()),
                node("c", "Concat", List.of(), List.of(v("cat", X.type())), attrs("axis", Attribute.of(0L))));
        assertEquals(List.of("@g: node 'a' (test.kiln:Add): has 3 inputs, expected 2",
                "@g: node 'a' (test.kiln:Add): has 2 outputs, expected 1",
                "@g: node 'c' (test.kiln:Concat): has 0 inputs, expected at least 1"), problems(g));
    }

    @Test
    void attributesMissingUnknownOrOfTheWrongKind() {
        Graph g = graph(List.of(X), List.of(),
                node("p", "Pool", List.of(X), List.of(Y), attrs("stride", Attribute.floats(2f), "dilation", Attribute.of(1L))));
        assertEquals(List.of("@g: node 'p' (test.kiln:Pool): missing required attribute 'kernel'",
                "@g: node 'p' (test.kiln:Pool): attribute 'stride' is floats, expected int",
                "@g: node 'p' (test.kiln:Pool): unknown attribute 'dilation'"), problems(g));
    }

    @Test
    void kilnAnnotationsAreAcceptedOnAnyNodeButOtherUnknownAttributesAreNot() {
        Value image = v("image", t(F32, 1, 64, 112, 112));
        Value pooled = v("pooled", t(F32, 1, 64, 56, 56));
        Graph g = graph(List.of(image), List.of(),
                node("pool1", "Pool", List.of(image), List.of(pooled), attrs("kernel", Attribute.ints(2, 2),
                        "kiln.arena_offsets", Attribute.ints(0), "kilnish", Attribute.of(1L))));
        assertEquals(List.of("@g: node 'pool1' (test.kiln:Pool): unknown attribute 'kilnish'"), problems(g));
    }

    @Test
    void declaredTypeDisagreesWithInference() {
        Value image = v("image", t(F32, 1, 64, 112, 112));
        Value pooled = v("pooled", t(F32, 1, 64, 56, 56));
        Graph g = graph(List.of(image), List.of(pooled),
                node("pool1", "Pool", List.of(image), List.of(pooled), attrs("kernel", Attribute.ints(1, 1))));
        assertEquals(List.of("@g: node 'pool1' (test.kiln:Pool): output 0 declared f32[1,64,56,56] but inferred f32[1,64,112,112]"),
                problems(g));
    }

    @Test
    void standardOpsAreCheckedByTheirOwnInference() {
        Value image = v("x", t(F32, 1, 3, 224, 224));
        Value weights = v("w", t(F32, 64, 3, 7, 7));
        Value out = v("c", t(F32, 1, 64, 56, 56));
        Node conv = new Node("conv1", "", "Conv", List.of(image, weights), List.of(out),
                attrs("kernel_shape", Attribute.ints(7, 7), "pads", Attribute.ints(3, 3, 3, 3), "strides", Attribute.ints(2, 2)));
        Graph g = new Graph("g", List.of(image, weights), List.of(out), List.of(conv), Map.of(), Map.of("", 17));
        assertEquals(List.of("@g: node 'conv1' (Conv): output 0 declared f32[1,64,56,56] but inferred f32[1,64,112,112]"), problems(g));
    }

    @Test
    void symbolicAndUnknownDimsAgreeWithAnything() {
        Value image = v("image", t(F32, "n", 64, 112, "?"));
        Value pooled = v("pooled", t(F32, 1, "c", 56, 7));
        Graph g = graph(List.of(image), List.of(pooled),
                node("pool", "Pool", List.of(image), List.of(pooled), attrs("kernel", Attribute.ints(2, 2), "stride", Attribute.of(2L))));
        assertEquals(List.of(), problems(g));
    }

    @Test
    void inferenceSeesConstantInputs() {
        Value shape = v("shape", t(I64, 2));
        Value out = v("out", t(F32, 3, 2));
        Node reshape = node("r", "Reshape", List.of(X, shape), List.of(out), Map.of());
        Graph constant = new Graph("g", List.of(X), List.of(out), List.of(reshape),
                Map.of("shape", Tensor.ofLongs(I64, new long[] {2}, 6, 1)), opsets());
        assertEquals(List.of("@g: node 'r' (test.kiln:Reshape): output 0 declared f32[3,2] but inferred f32[6,1]"), problems(constant));
        Graph fed = new Graph("g", List.of(X, shape), List.of(out), List.of(reshape), Map.of(), opsets());
        assertEquals(List.of(), problems(fed));
    }

    @Test
    void inferenceSeesEnclosingScopes() {
        Graph body = new Graph("then", List.of(), List.of(Z),
                List.of(node("typeof", "TypeOf", List.of(), List.of(Z), attrs("of", Attribute.of("y")))), Map.of(), opsets());
        Value r = v("r", Z.type());
        Graph g = graph(List.of(X, v("c", t(DType.BOOL))), List.of(r), add("a", X, X, Y), ifNode("if", body, body, r));
        assertEquals(List.of(), problems(g));
        Value wide = v("y", t(F32, 9));
        Graph mismatch = graph(List.of(X, v("c", t(DType.BOOL)), wide), List.of(r), ifNode("if", body, body, r));
        assertEquals(List.of("@g/if.then_branch: node 'typeof' (test.kiln:TypeOf): output 0 declared f32[2,3] but inferred f32[9]",
                "@g/if.else_branch: node 'typeof' (test.kiln:TypeOf): output 0 declared f32[2,3] but inferred f32[9]"), problems(mismatch));
    }

    @Test
    void inferenceErrorsAreReported() {
        Value ints = v("ints", t(I64, 2, 3));
        Graph g = graph(List.of(X, ints), List.of(Y), add("mixed", X, ints, Y));
        assertEquals(List.of("@g: node 'mixed' (test.kiln:Add): input types f32 and i64 differ"), problems(g));
    }

    @Test
    void inferenceCrashesAndShortResultsAreReported() {
        Graph g = graph(List.of(X), List.of(),
                node("bug", "Buggy", List.of(), List.of(Y), Map.of()),
                ifNode("if", new Graph("empty", List.of(), List.of(), List.of(), Map.of(), opsets()),
                        new Graph("empty", List.of(), List.of(), List.of(), Map.of(), opsets()), Z));
        assertEquals(List.of("@g: node 'bug' (test.kiln:Buggy): type inference failed: IllegalStateException: inference bug",
                "@g: node 'if' (test.kiln:If): input 0 'c' is not defined",
                "@g: node 'if' (test.kiln:If): type inference gave 0 types for 1 outputs"), problems(g));
    }

    @Test
    void useWhoseTypeIsNotItsDefinitions() {
        Graph g = graph(List.of(X), List.of(Y), add("a", X, v("x", t(F32, 3)), Y));
        assertEquals(List.of("@g: node 'a' (test.kiln:Add): input 1 'x' is f32[3] here but defined as f32[2,3]"), problems(g));
    }

    @Test
    void graphOutputTypeDisagreesWithItsDefinition() {
        Graph g = graph(List.of(X), List.of(v("x", t(F32, 2, 4)), v("x", t(F32, "n", "?"))));
        assertEquals(List.of("@g: graph output 'x' declared f32[2,4] but defined as f32[2,3]"), problems(g));
    }

    @Test
    void verifyOrThrowListsEveryProblem() {
        Graph g = graph(List.of(X), List.of(v("a", X.type()), v("b", X.type())));
        IrVerificationException e = assertThrows(IrVerificationException.class, () -> IrVerifier.standard().verifyOrThrow(g));
        assertEquals("@g: graph output 'a' is not defined (and 1 more problem)", e.getMessage());
        assertEquals(List.of(new IrDiagnostic("@g", "graph output 'a' is not defined"), new IrDiagnostic("@g", "graph output 'b' is not defined")),
                e.diagnostics());
    }

    private static Node ifNode(String name, Graph then, Graph otherwise, Value out) {
        return node(name, "If", List.of(v("c", t(DType.BOOL))), List.of(out),
                attrs("then_branch", Attribute.of(then), "else_branch", Attribute.of(otherwise)));
    }
}
