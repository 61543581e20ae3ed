package dev.kiln.bench.report;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/** The report parsed as XML (it is well-formed by design), with lookups the tests share. */
final class ReportXml {
    final Document document;

    ReportXml(String page) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(page)));
    }

    /** The element with {@code id}, or null. */
    Element byId(String id) {
        NodeList all = document.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            if (id.equals(element.getAttribute("id"))) return element;
        }
        return null;
    }

    /** The descendants of {@code root} named {@code tag} whose class attribute contains {@code cssClass}. */
    static List<Element> withClass(Element root, String tag, String cssClass) {
        List<Element> found = new ArrayList<>();
        NodeList elements = root.getElementsByTagName(tag);
        for (int i = 0; i < elements.getLength(); i++) {
            Element element = (Element) elements.item(i);
            if (List.of(element.getAttribute("class").split(" ")).contains(cssClass)) found.add(element);
        }
        return found;
    }

    /** The text of {@code element}'s first {@code <title>} child. */
    static String title(Element element) {
        return element.getElementsByTagName("title").item(0).getTextContent();
    }
}
