package dev.kiln.ir.ops;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shape values followed through type inference: each case a Reshape whose target a model computed from a Shape. */
class ShapeValuesTest {
    private static final String CONSTANTS = """
              const %i0: i64[] = dense<[0]>
              const %i1: i64[] = dense<[1]>
              const %i2: i64[] = dense<[2]>
              const %four: i64[] = dense<[4]>
              const %axes: i64[1] = dense<[0]>
              const %minus1: i64[1] = dense<[-1]>
              const %eight: i64[1] = dense<[8]>
              const %start: i64[1] = dense<[1]>
              const %end: i64[1] = dense<[3]>
            """;

    @Test
    void headsFoldedIntoTheBatchGiveAProduct() {
        assertEquals("[8,4*batch,8]", reshaped("""
                  %s: i64[3] = Shape(%x)
                  %b: i64[] = Gather(%s, %i1) {axis = 0}
                  %bh: i64[] = Mul(%b, %four)
                  %n: i64[] = Gather(%s, %i0) {axis = 0}
                  %n1: i64[1] = Unsqueeze(%n, %axes)
                  %bh1: i64[1] = Unsqueeze(%bh, %axes)
                  %t: i64[3] = Concat(%n1, %bh1, %eight) {axis = 0}
                """));
    }

    @Test
    void aSliceOfTheShapeAndAMinusOneKeepTheSymbols() {
        assertEquals("[8*batch,32]", reshaped("""
                  %s: i64[3] = Shape(%x)
                  %tail: i64[1] = Slice(%s, %end, %end)
                  %last: i64[1] = Slice(%s, %i2, %end)
                  %u: i64[1] = Cast(%last) {to = 7}
                  %t: i64[2] = Concat(%minus1, %u) {axis = 0}
                """));
    }

    @Test
    void anExactQuotientOfProducts() {
        assertEquals("[batch,2,128]", reshaped("""
                  %s: i64[3] = Shape(%x)
                  %b: i64[] = Gather(%s, %i1) {axis = 0}
                  %half: i64[] = Div(%four, %i2)
                  %b1: i64[1] = Unsqueeze(%b, %axes)
                  %h1: i64[1] = Unsqueeze(%half, %axes)
                  %t: i64[3] = Concat(%b1, %h1, %minus1) {axis = 0}
                """));
    }

    @Test
    void aValueTheShapeDoesNotTellStaysUnknown() {
        assertEquals("[?,8]", reshaped("""
                  %s: i64[3] = Shape(%x)
                  %b: i64[] = Gather(%s, %i1) {axis = 0}
                  %odd: i64[] = Div(%b, %four)
                  %o1: i64[1] = Unsqueeze(%odd, %axes)
                  %t: i64[2] = Concat(%o1, %eight) {axis = 0}
                """));
    }

    /** The type of {@code Reshape(%x, %t)} for {@code x: f32[8,batch,32]} after the given nodes compute {@code %t}. */
    private static String reshaped(String nodes) {
        Graph g = IrParser.parse("graph @main(%x: f32[8,batch,32]) -> (%y: f32[*]) {\n  opsets {\"\": 17}\n" + CONSTANTS + nodes
                + "  %y: f32[*] = Reshape(%x, %t)\n}\n");
        Graph typed = GraphTyping.type(g, name -> null);
        Node reshape = typed.nodes().getLast();
        Shape shape = ((TensorType) reshape.output(0).type()).shape();
        return shape.toString();
    }
}
