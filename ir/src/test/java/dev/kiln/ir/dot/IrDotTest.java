package dev.kiln.ir.dot;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.SampleGraphs;
import dev.kiln.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kiln.ir.SampleGraphs.t;
import static dev.kiln.ir.SampleGraphs.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

class IrDotTest {
    @Test
    void rendersNodesValuesAndSubgraphClusters() {
        assertEquals("""
                digraph "main" {
                  node [fontname="Helvetica"];
                  edge [fontname="Helvetica", fontsize=10];
                  g0_in0 [shape=invhouse, label="x\\nf32[batch,3,8,8]"];
                  g0_in1 [shape=invhouse, label="cond\\nbool[]"];
                  g0_c0 [shape=cylinder, label="shape\\ni64[2]"];
                  g0_n0 [shape=box, label="test.kiln:Pool\\npool"];
                  g0_n1 [shape=box, label="test.kiln:Concat\\nconcat"];
                  g0_n2 [shape=box, label="test.kiln:Reshape\\nreshape"];
                  g0_n3 [shape=box, label="test.kiln:If\\nchoose"];
                  subgraph cluster_g1 {
                    label="choose.then_branch";
                    style=rounded;
                    g1_n0 [shape=box, label="test.kiln:Add\\ndouble"];
                    g1_out0 [shape=house, label="t"];
                  }
                  subgraph cluster_g2 {
                    label="choose.else_branch";
                    style=rounded;
                    g2_out0 [shape=house, label="flat"];
                  }
                  g0_out0 [shape=house, label="y"];
                  g0_in0 -> g0_n0 [label="f32[batch,3,8,8]"];
                  g0_n0 -> g0_n1 [label="f32[batch,3,4,4]"];
                  g0_n0 -> g0_n1 [label="f32[batch,3,4,4]"];
                  g0_n1 -> g0_n2 [label="f32[batch,6,4,4]"];
                  g0_c0 -> g0_n2 [label="i64[2]"];
                  g0_in1 -> g0_n3 [label="bool[]"];
                  g0_n2 -> g1_n0 [label="f32[2,48]"];
                  g0_n2 -> g1_n0 [label="f32[2,48]"];
                  g1_n0 -> g1_out0 [label="f32[2,48]"];
                  g1_out0 -> g0_n3 [style=dashed];
                  g0_n2 -> g2_out0 [label="f32[2,48]"];
                  g2_out0 -> g0_n3 [style=dashed];
                  g0_n3 -> g0_out0 [label="f32[2,48]"];
                }
                """, IrDot.toDot(SampleGraphs.valid()));
    }

    @Test
    void escapesNamesAndMarksUndefinedValues() {
        Value in = v("a\"b\\c", t(DType.F32, "n m"));
        Node n = new Node("say \"hi\"\nthere", "", "Op", List.of(in, v("ghost", t(DType.I64))), List.of(), Map.of());
        Graph g = new Graph("g\"1", List.of(in), List.of(), List.of(n), Map.of(), Map.of());
        assertEquals("""
                digraph "g\\"1" {
                  node [fontname="Helvetica"];
                  edge [fontname="Helvetica", fontsize=10];
                  g0_in0 [shape=invhouse, label="a\\"b\\\\c\\nf32[\\"n m\\"]"];
                  g0_n0 [shape=box, label="Op\\nsay \\"hi\\"\\nthere"];
                  g0_in0 -> g0_n0 [label="f32[\\"n m\\"]"];
                  undefined0 [shape=plaintext, fontcolor=red, label="ghost\\n(undefined)"];
                  undefined0 -> g0_n0 [label="i64[]"];
                }
                """, IrDot.toDot(g));
    }
}
