package org.taxoshard.oozie;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** Where the application's files are, and the little XML and properties handling the tests share. */
final class OozieApp {
  static final String WORKFLOW_NS = "uri:oozie:workflow:1.0";
  static final String COORDINATOR_NS = "uri:oozie:coordinator:0.5";

  private OozieApp() {}

  /** oozie/apps/taxoshard, from the module folder surefire runs in. */
  static Path dir() {
    return Paths.get(System.getProperty("basedir", "."), "apps", "taxoshard").toAbsolutePath().normalize();
  }

  static Path file(String name) {
    return dir().resolve(name);
  }

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  static Document parse(Path file) throws Exception {
    return parse(Files.readString(file));
  }

  /** The element children of an element, in order. */
  static List<Element> children(Element e) {
    List<Element> out = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        out.add(c);
      }
    }
    return out;
  }

  static List<Element> children(Element e, String localName) {
    List<Element> out = new ArrayList<>();
    for (Element c : children(e)) {
      if (c.getLocalName().equals(localName)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The one child of that name, or null. */
  static Element child(Element e, String localName) {
    List<Element> c = children(e, localName);
    return c.isEmpty() ? null : c.get(0);
  }

  static String childText(Element e, String localName) {
    Element c = child(e, localName);
    return c == null ? null : c.getTextContent().strip();
  }

  /**
   * A {@code <parameters>} section applied as Oozie does: a parameter missing from the
   * properties takes its {@code <value>} (trimmed, possibly empty); one without a value is required.
   *
   * @return the names of required parameters that the properties do not give
   */
  static List<String> applyParameters(Element app, Map<String, String> properties) {
    List<String> missing = new ArrayList<>();
    Element params = child(app, "parameters");
    if (params == null) {
      return missing;
    }
    for (Element p : children(params, "property")) {
      String name = childText(p, "name");
      if (properties.get(name) == null) {
        String value = childText(p, "value");
        if (value != null) {
          properties.put(name, value);
        } else {
          missing.add(name);
        }
      }
    }
    return missing;
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}$\\s]+)}");

  /**
   * A job's properties as Oozie reads its -config file: the file's, then the overrides, each
   * {@code ${name}} in a value replaced by that property (or system property, e.g. user.name).
   */
  static Map<String, String> properties(Path file, Map<String, String> overrides) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    Map<String, String> raw = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) {
      raw.put(name, p.getProperty(name));
    }
    raw.putAll(overrides);
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : raw.keySet()) {
      out.put(name, substitute(raw.get(name), raw));
    }
    return out;
  }

  static String substitute(String value, Map<String, String> props) {
    String v = value;
    for (int depth = 0; depth < 20; depth++) {
      Matcher m = VARIABLE.matcher(v);
      StringBuilder b = new StringBuilder();
      boolean changed = false;
      while (m.find()) {
        String r = props.containsKey(m.group(1)) ? props.get(m.group(1)) : System.getProperty(m.group(1));
        m.appendReplacement(b, Matcher.quoteReplacement(r == null ? m.group() : r));
        changed |= r != null;
      }
      m.appendTail(b);
      v = b.toString();
      if (!changed) {
        break;
      }
    }
    return v;
  }
}
