package dev.kiln.bench.report;

import java.util.List;
import java.util.function.Function;

/** An HTML table with one row per result; every cell's text is escaped. */
final class HtmlTable {
    private HtmlTable() {}

    /** A cell's text and an optional CSS class (null for none). */
    record Cell(String text, String cssClass) {
        static Cell of(String text) { return new Cell(text, null); }
    }

    /** A column: its header, whether it holds numbers (right-aligned), and how to fill it for a row. */
    record Column(String header, boolean numeric, Function<ResultRow, Cell> cell) {
        static Column text(String header, Function<ResultRow, String> text) {
            return new Column(header, false, row -> Cell.of(text.apply(row)));
        }

        static Column number(String header, Function<ResultRow, String> text) {
            return new Column(header, true, row -> Cell.of(text.apply(row)));
        }
    }

    static String render(String caption, List<Column> columns, List<ResultRow> rows) {
        StringBuilder out = new StringBuilder("<table>\n<caption>").append(Html.escape(caption)).append("</caption>\n<thead><tr>");
        for (Column column : columns) {
            out.append("<th scope=\"col\"").append(column.numeric() ? " class=\"num\"" : "").append('>')
                    .append(Html.escape(column.header())).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (ResultRow row : rows) {
            out.append(row.isBaseline() ? "<tr class=\"baseline\">" : "<tr>");
            for (Column column : columns) {
                Cell cell = column.cell().apply(row);
                String classes = ((column.numeric() ? "num " : "") + (cell.cssClass() == null ? "" : cell.cssClass())).trim();
                out.append("<td").append(classes.isEmpty() ? "" : " class=\"" + Html.escape(classes) + "\"").append('>')
                        .append(Html.escape(cell.text())).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</tbody>\n</table>\n").toString();
    }
}
