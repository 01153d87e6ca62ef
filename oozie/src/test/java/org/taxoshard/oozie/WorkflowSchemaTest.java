package org.taxoshard.oozie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * workflow.xml and coordinator.xml are valid by Oozie's own schemas (the .xsd files the
 * oozie-client jar carries, which the Oozie server checks submissions against), and broken copies
 * are not. Then what the schemas cannot say: one kill node that every action's error goes to,
 * every action a java action of the driver whose prepare deletes exactly its output, and every
 * ${...} the files use given by their properties or parameters.
 */
class WorkflowSchemaTest {
  static Schema schema(String xsd) throws SAXException {
    URL url = WorkflowSchemaTest.class.getClassLoader().getResource(xsd);
    assertNotNull(url, xsd + " is not on the test classpath (it comes in org.apache.oozie:oozie-client)");
    // From its URL, so that the schema's <xs:include>s (oozie-common-1.0.xsd) resolve inside the jar.
    return SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(url);
  }

  static Schema workflowSchema() throws SAXException {
    return schema("oozie-workflow-1.0.xsd");
  }

  static Schema coordinatorSchema() throws SAXException {
    return schema("oozie-coordinator-0.5.xsd");
  }

  static void validate(Schema schema, String xml) throws Exception {
    schema.newValidator().validate(new StreamSource(new StringReader(xml)));
  }

  static String text(Document d) throws Exception {
    StringWriter out = new StringWriter();
    TransformerFactory.newInstance().newTransformer().transform(new DOMSource(d), new StreamResult(out));
    return out.toString();
  }

  /** The file with one change made to it, as text. */
  static String broken(String file, Consumer<Document> change) throws Exception {
    Document d = OozieApp.parse(OozieApp.file(file));
    change.accept(d);
    return text(d);
  }

  static Element byName(Document d, String localName, String name) {
    for (Element e : OozieApp.children(d.getDocumentElement(), localName)) {
      if (e.getAttribute("name").equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no <" + localName + " name=\"" + name + "\">");
  }

  static void rename(Element e, String newName) {
    e.getOwnerDocument().renameNode(e, e.getNamespaceURI(), newName);
  }

  @Test
  void workflowIsValidByOoziesSchema() throws Exception {
    String xml = Files.readString(OozieApp.file("workflow.xml"));
    assertTrue(xml.contains("xmlns=\"" + OozieApp.WORKFLOW_NS + "\""), "workflow schema 1.0");
    validate(workflowSchema(), xml);
  }

  @Test
  void coordinatorIsValidByOoziesSchema() throws Exception {
    String xml = Files.readString(OozieApp.file("coordinator.xml"));
    assertTrue(xml.contains("xmlns=\"" + OozieApp.COORDINATOR_NS + "\""), "coordinator schema 0.5");
    validate(coordinatorSchema(), xml);
  }

  /** The validation can fail: each of these copies breaks one rule of the schema. */
  @Test
  void brokenWorkflowsAreRejected() throws Exception {
    Schema schema = workflowSchema();
    Map<String, String> copies = new HashMap<>();
    copies.put("an unknown element instead of main-class", broken("workflow.xml",
        d -> rename(OozieApp.child(OozieApp.child(byName(d, "action", "scan"), "java"), "main-class"), "main-klass")));
    copies.put("an action without its error transition", broken("workflow.xml", d -> {
      Element plan = byName(d, "action", "plan");
      plan.removeChild(OozieApp.child(plan, "error"));
    }));
    copies.put("prepare after the arguments", broken("workflow.xml", d -> {
      Element java = OozieApp.child(byName(d, "action", "shard"), "java");
      java.appendChild(java.removeChild(OozieApp.child(java, "prepare")));
    }));
    copies.put("a decision without default", broken("workflow.xml", d -> {
      Element sw = OozieApp.child(byName(d, "decision", "ready-index"), "switch");
      sw.removeChild(OozieApp.child(sw, "default"));
    }));
    copies.put("a node name with a space", broken("workflow.xml",
        d -> byName(d, "action", "index").setAttribute("name", "build index")));
    for (Map.Entry<String, String> c : copies.entrySet()) {
      assertThrows(SAXException.class, () -> validate(schema, c.getValue()), c.getKey() + " passed validation");
    }
  }

  @Test
  void brokenCoordinatorsAreRejected() throws Exception {
    Schema schema = coordinatorSchema();
    Map<String, String> copies = new HashMap<>();
    copies.put("a dataset without uri-template", broken("coordinator.xml", d -> {
      Element ds = OozieApp.child(OozieApp.child(d.getDocumentElement(), "datasets"), "dataset");
      ds.removeChild(OozieApp.child(ds, "uri-template"));
    }));
    copies.put("a data-in without instance", broken("coordinator.xml", d -> {
      Element in = OozieApp.child(OozieApp.child(d.getDocumentElement(), "input-events"), "data-in");
      in.removeChild(OozieApp.child(in, "instance"));
    }));
    copies.put("no timezone", broken("coordinator.xml", d -> d.getDocumentElement().removeAttribute("timezone")));
    for (Map.Entry<String, String> c : copies.entrySet()) {
      assertThrows(SAXException.class, () -> validate(schema, c.getValue()), c.getKey() + " passed validation");
    }
  }

  /** One kill node, every action's error goes to it; the happy path is scan, plan, shard, index, search. */
  @Test
  void everyErrorGoesToTheOneKillNode() throws Exception {
    Element app = OozieApp.parse(OozieApp.file("workflow.xml")).getDocumentElement();
    List<Element> kills = OozieApp.children(app, "kill");
    assertEquals(1, kills.size(), "one kill node");
    String kill = kills.get(0).getAttribute("name");
    assertTrue(OozieApp.childText(kills.get(0), "message").contains("${wf:errorMessage(wf:lastErrorNode())}"));
    List<String> actions = new ArrayList<>();
    Map<String, String> ok = new HashMap<>();
    for (Element a : OozieApp.children(app, "action")) {
      actions.add(a.getAttribute("name"));
      assertEquals(kill, OozieApp.child(a, "error").getAttribute("to"), a.getAttribute("name"));
      ok.put(a.getAttribute("name"), OozieApp.child(a, "ok").getAttribute("to"));
    }
    assertEquals(List.of("scan", "plan", "shard", "index", "search"), actions);
    assertEquals("plan", ok.get("scan"));
    assertEquals("shard", ok.get("plan"));
    assertEquals("index", ok.get("shard"));
    assertEquals("search", ok.get("index"));
    assertEquals("end", ok.get("search"));
  }

  /** Each action runs the driver with its command first, and its prepare deletes exactly its --out. */
  @Test
  void everyActionRunsTheDriverAndPreparesItsOutput() throws Exception {
    Element app = OozieApp.parse(OozieApp.file("workflow.xml")).getDocumentElement();
    Map<String, String> folder = Map.of("scan", "scan", "plan", "plan", "shard", "shards", "index", "index",
        "search", "search");
    for (Element a : OozieApp.children(app, "action")) {
      String name = a.getAttribute("name");
      Element java = OozieApp.child(a, "java");
      assertNotNull(java, name + " is a java action");
      assertEquals("${resourceManager}", OozieApp.childText(java, "resource-manager"), name);
      assertEquals("${nameNode}", OozieApp.childText(java, "name-node"), name);
      assertEquals("org.taxoshard.driver.Taxoshard", OozieApp.childText(java, "main-class"), name);
      List<String> args = new ArrayList<>();
      for (Element arg : OozieApp.children(java, "arg")) {
        args.add(arg.getTextContent());
      }
      assertEquals(name, args.get(0), "the command comes first");
      String out = args.get(args.indexOf("--out") + 1);
      assertEquals("${workDir}/" + folder.get(name), out, name);
      List<Element> deletes = OozieApp.children(OozieApp.child(java, "prepare"), "delete");
      assertEquals(1, deletes.size(), name);
      assertEquals(out, deletes.get(0).getAttribute("path"), name + ": prepare deletes the step's output");
    }
  }

  private static final Pattern EL = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("(?<![:\\w'])([A-Za-z_]\\w*)(?![\\w:(])");
  private static final Set<String> EL_WORDS = Set.of("not", "empty", "and", "or", "eq", "ne", "true", "false", "null");
  private static final Set<String> DATASET_VARIABLES = Set.of("YEAR", "MONTH", "DAY", "HOUR", "MINUTE");

  /** The variables the ${...} of a file use (not functions, not quoted text). */
  static Set<String> variables(String xml) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = EL.matcher(xml);
    while (m.find()) {
      String expr = m.group(1).replaceAll("'[^']*'", "''");
      Matcher n = NAME.matcher(expr);
      while (n.find()) {
        if (!EL_WORDS.contains(n.group(1))) {
          names.add(n.group(1));
        }
      }
    }
    return names;
  }

  static Set<String> parameters(String file) throws Exception {
    Set<String> names = new LinkedHashSet<>();
    Element params = OozieApp.child(OozieApp.parse(OozieApp.file(file)).getDocumentElement(), "parameters");
    for (Element p : OozieApp.children(params, "property")) {
      names.add(OozieApp.childText(p, "name"));
    }
    return names;
  }

  /**
   * job.properties gives every parameter the workflow requires, and every variable the workflow
   * uses is a parameter; coordinator.properties gives every parameter the coordinator requires and,
   * with the coordinator's action, every one the workflow requires.
   */
  @Test
  void thePropertiesGiveEverythingTheFilesUse() throws Exception {
    Set<String> workflowParams = parameters("workflow.xml");
    Set<String> used = variables(Files.readString(OozieApp.file("workflow.xml")));
    assertFalse(used.isEmpty());
    for (String v : used) {
      assertTrue(workflowParams.contains(v), "workflow.xml uses ${" + v + "}, which is not among its <parameters>");
    }
    Map<String, String> job = OozieApp.properties(OozieApp.file("job.properties"), Map.of());
    List<String> missing = OozieApp.applyParameters(OozieApp.parse(OozieApp.file("workflow.xml")).getDocumentElement(),
        new HashMap<>(job));
    assertEquals(List.of(), missing, "job.properties misses required workflow parameters");
    for (String p : workflowParams) {
      assertTrue(job.containsKey(p), "job.properties does not list " + p + " (every setting is there, commented)");
    }
    assertTrue(job.get("oozie.wf.application.path").startsWith("hdfs://"), job.get("oozie.wf.application.path"));

    Set<String> coordParams = parameters("coordinator.xml");
    Map<String, String> coord = OozieApp.properties(OozieApp.file("coordinator.properties"), Map.of());
    for (String v : variables(Files.readString(OozieApp.file("coordinator.xml")))) {
      assertTrue(coordParams.contains(v) || DATASET_VARIABLES.contains(v) || coord.containsKey(v),
          "coordinator.xml uses ${" + v + "}, given neither by its <parameters> nor coordinator.properties");
    }
    Map<String, String> coordConf = new HashMap<>(coord);
    assertEquals(List.of(), OozieApp.applyParameters(OozieApp.parse(OozieApp.file("coordinator.xml")).getDocumentElement(),
        coordConf), "coordinator.properties misses required coordinator parameters");
    // What the workflow gets from a coordinator action: the coordinator's properties and the action's configuration.
    Map<String, String> workflowConf = new HashMap<>(coord);
    Element action = OozieApp.child(OozieApp.child(OozieApp.parse(OozieApp.file("coordinator.xml")).getDocumentElement(),
        "action"), "workflow");
    Map<String, String> actionConf = new HashMap<>();
    for (Element p : OozieApp.children(OozieApp.child(action, "configuration"), "property")) {
      actionConf.put(OozieApp.childText(p, "name"), OozieApp.childText(p, "value"));
    }
    assertEquals("${coord:dataIn('queries')}", actionConf.get("queries"), "the landed batch is the workflow's queries");
    assertTrue(actionConf.containsKey("readyIndex") && actionConf.containsKey("workDir"), actionConf.toString());
    workflowConf.putAll(actionConf);
    assertEquals(List.of(), OozieApp.applyParameters(OozieApp.parse(OozieApp.file("workflow.xml")).getDocumentElement(),
        workflowConf), "a coordinator action leaves required workflow parameters undefined");
    assertFalse(coord.containsKey("oozie.wf.application.path"), "one application path per submission");
    assertTrue(coord.get("oozie.coord.application.path").startsWith("hdfs://"));
  }
}
