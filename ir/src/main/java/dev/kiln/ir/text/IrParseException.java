package dev.kiln.ir.text;

/** IR text that does not parse; the message starts with {@code line:column} and says what was expected. */
public class IrParseException extends RuntimeException {
    private final int line;
    private final int column;

    public IrParseException(int line, int column, String message) {
        super(line + ":" + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() { return line; }

    public int column() { return column; }
}
