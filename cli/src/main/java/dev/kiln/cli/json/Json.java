package dev.kiln.cli.json;

import dev.kiln.ir.json.JsonParser;
import dev.kiln.ir.json.JsonText;

/**
 * JSON for the CLI's result files (the project has no JSON library): writes maps, lists, strings, numbers,
 * booleans and null through the IR's {@link JsonText}; parses through the IR's {@link JsonParser}.
 */
public final class Json {
    private Json() {}

    /** Indented JSON, written by the IR's {@link JsonText} so the project has one JSON writer. */
    public static String write(Object value) { return JsonText.write(value); }

    /** Parsed by the IR's {@link JsonParser}, the project's one JSON reader. */
    public static Object parse(String text) { return JsonParser.parse(text); }
}
