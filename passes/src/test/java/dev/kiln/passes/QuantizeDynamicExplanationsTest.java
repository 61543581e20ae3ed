package dev.kiln.passes;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import dev.kiln.passes.quant.QuantizationSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What quantize-dynamic says about the recurrent layers of its golden case: which it converted, and why the others stay float. */
class QuantizeDynamicExplanationsTest {
    @Test
    void eachRecurrentLayerGetsItsLine() throws IOException {
        Graph input;
        try (InputStream in = getClass().getResourceAsStream("/passes/quantize-dynamic/lstm-gru.ir")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            input = IrParser.parse(text.substring(0, text.indexOf("// expect:")));
        }
        QuantizationSettings settings = new QuantizationSettings(QuantizationSettings.Mode.DYNAMIC, DType.I8,
                List.of(QuantizationSettings.nodePattern("gru")), (g, tensors) -> Map.of());
        PassContext ctx = new PassContext(OptLevel.O1, Map.of(), TargetPreferences.reference(), settings);
        new PassManager(List.of(new QuantizeDynamic()), PassOptions.verifying(), new PrintWriter(Writer.nullWriter())).run(input, ctx);
        Map<String, List<String>> said = ctx.explanations();
        assertEquals(List.of("quantize-dynamic: quantized dynamically: com.microsoft:DynamicQuantizeLSTM, W and R int8 per gate row, "
                + "X and h quantized to uint8 per run"), said.get("lstm"));
        assertEquals(List.of("quantize-dynamic: kept in float: kept in float by --keep-float"), said.get("gru"));
        assertEquals(List.of("quantize-dynamic: kept in float: RNN has no int8-dynamic form"), said.get("rnn"));
        assertEquals(List.of("quantize-dynamic: kept in float: layout 1 (batch first) has no int8-dynamic form"), said.get("batch_first"));
    }
}
