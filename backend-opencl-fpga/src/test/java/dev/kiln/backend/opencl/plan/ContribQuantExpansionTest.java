package dev.kiln.backend.opencl.plan;

import dev.kiln.ir.Graph;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.text.IrParser;
import dev.kiln.ir.text.IrPrinter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The IR before and after the expansion (the numbers are checked on a device by ContribQuantKernelTest). */
class ContribQuantExpansionTest {
    private static Graph typed(String body) {
        return GraphTyping.type(IrParser.parse(body), name -> null);
    }

    @Test
    void addBecomesDequantizeAddQuantizeKeepingItsOutputAndType() {
        Graph before = typed("""
                graph @g(%a: i8[2,3], %b: i8[3]) -> (%y: i8[2,3]) {
                  opsets {"": 19, "com.microsoft": 1}
                  const %as: f32[] = dense<[0.5]>
                  const %az: i8[] = dense<[3]>
                  const %ys: f32[] = dense<[0.25]>
                  %y: i8[2,3] = com.microsoft:QLinearAdd(%a, %as, %az, %b, %as, _, %ys) name "add"
                }
                """);
        assertEquals("""
                graph @g(%a: i8[2,3], %b: i8[3]) -> (%y: i8[2,3]) {
                  opsets {"": 19, "com.microsoft": 1}
                  const %as: f32[] = dense<[0.5]>
                  const %az: i8[] = dense<[3]>
                  const %ys: f32[] = dense<[0.25]>
                  const %y_qdq_zero_point: i8[] = dense<[0]>
                  %y_qdq_x0: f32[2,3] = DequantizeLinear(%a, %as, %az) name "add#qdq:QLinearAdd/dq0"
                  %y_qdq_x1: f32[3] = DequantizeLinear(%b, %as) name "add#qdq:QLinearAdd/dq1"
                  %y_qdq_y: f32[2,3] = Add(%y_qdq_x0, %y_qdq_x1) name "add#qdq:QLinearAdd/Add"
                  %y: i8[2,3] = QuantizeLinear(%y_qdq_y, %ys, %y_qdq_zero_point) name "add#qdq:QLinearAdd/q"
                }
                """, IrPrinter.print(GraphTyping.type(ContribQuantExpansion.expand(before), name -> null)));
    }

    @Test
    void concatDequantizesEveryInputAndPoolsKeepTheirAttributes() {
        Graph before = typed("""
                graph @g(%a: u8[1,2,4,4], %b: u8[1,1,4,4]) -> (%y: u8[*], %p: u8[*]) {
                  opsets {"": 19, "com.microsoft": 1}
                  const %s: f32[] = dense<[0.5]>
                  const %z: u8[] = dense<[128]>
                  %y: u8[*] = com.microsoft:QLinearConcat(%s, %z, %a, %s, %z, %b, %s, %z) {axis = 1} name "cat"
                  %p: u8[*] = com.microsoft:QLinearAveragePool(%y, %s, %z, %s, %z) {channels_last = 0, kernel_shape = [2, 2]} name "pool"
                }
                """);
        assertEquals("""
                graph @g(%a: u8[1,2,4,4], %b: u8[1,1,4,4]) -> (%y: u8[1,3,4,4], %p: u8[1,3,3,3]) {
                  opsets {"": 19, "com.microsoft": 1}
                  const %s: f32[] = dense<[0.5]>
                  const %z: u8[] = dense<[128]>
                  %y_qdq_x0: f32[1,2,4,4] = DequantizeLinear(%a, %s, %z) name "cat#qdq:QLinearConcat/dq0"
                  %y_qdq_x1: f32[1,1,4,4] = DequantizeLinear(%b, %s, %z) name "cat#qdq:QLinearConcat/dq1"
                  %y_qdq_y: f32[1,3,4,4] = Concat(%y_qdq_x0, %y_qdq_x1) {axis = 1} name "cat#qdq:QLinearConcat/Concat"
                  %y: u8[1,3,4,4] = QuantizeLinear(%y_qdq_y, %s, %z) name "cat#qdq:QLinearConcat/q"
                  %p_qdq_x0: f32[1,3,4,4] = DequantizeLinear(%y, %s, %z) name "pool#qdq:QLinearAveragePool/dq0"
                  %p_qdq_y: f32[1,3,3,3] = AveragePool(%p_qdq_x0) {kernel_shape = [2, 2]} name "pool#qdq:QLinearAveragePool/AveragePool"
                  %p: u8[1,3,3,3] = QuantizeLinear(%p_qdq_y, %s, %z) name "pool#qdq:QLinearAveragePool/q"
                }
                """, IrPrinter.print(GraphTyping.type(ContribQuantExpansion.expand(before), name -> null)));
    }

    @Test
    void expandedNodesNameTheContribOpTheyCameFrom() {
        Graph before = typed("""
                graph @g(%a: i8[1,2,3,3], %s: f32[], %z: i8[]) -> (%y: i8[*]) {
                  opsets {"": 19, "com.microsoft": 1}
                  %y: i8[*] = com.microsoft:QLinearGlobalAveragePool(%a, %s, %z, %s, %z) name "gap/x"
                }
                """);
        for (var node : ContribQuantExpansion.expand(before).nodes()) {
            assertEquals("com.microsoft:QLinearGlobalAveragePool", ContribQuantExpansion.origin(node), node.name());
        }
    }

    @Test
    void aGraphWithoutContribOpsIsLeftAlone() {
        Graph g = typed("graph @g(%x: f32[2]) -> (%y: f32[*]) {\n  opsets {\"\": 19}\n  %y: f32[*] = Relu(%x)\n}\n");
        assertSame(g, ContribQuantExpansion.expand(g));
        assertNull(ContribQuantExpansion.origin(g.nodes().getFirst()));
    }
}
