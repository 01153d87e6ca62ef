package org.taxoshard.oozie;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.taxoshard.driver.Taxoshard;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Runs a workflow.xml as Oozie would, without Oozie: from {@code start}, node by node, to an
 * {@code end} or a {@code kill}. {@code ${...}} are evaluated against the job's properties and
 * the workflow's parameter defaults; a decision takes its first true case; a java action has its
 * {@code <prepare><delete>}s applied, then its main class run with its {@code <arg>}s through
 * {@link Taxoshard#run(Configuration, String[])} on the local runner (a fresh configuration each
 * time, as each action is a fresh launcher) and follows {@code ok} on exit status 0, else
 * {@code error}. Only what the Taxoshard workflow uses is supported; anything else fails the walk.
 */
final class WorkflowWalker {
  /** One node passed: its name and kind (start, decision, action, kill, end). */
  record Visit(String name, String kind) {}

  /** What a walk did. */
  static final class Walk {
    final List<Visit> visits = new ArrayList<>();
    /** Each action's arguments, as run. */
    final Map<String, List<String>> args = new LinkedHashMap<>();
    /** Each action's exit status. */
    final Map<String, Integer> exits = new LinkedHashMap<>();
    String killMessage;

    List<String> names() {
      return visits.stream().map(Visit::name).toList();
    }

    List<String> kinds() {
      return visits.stream().map(Visit::kind).toList();
    }

    /** The node the walk stopped at. */
    Visit last() {
      return visits.get(visits.size() - 1);
    }
  }

  private final Element app;
  private final Map<String, String> conf;
  private final El el;
  private String lastErrorNode = "";
  private final Map<String, String> errorMessages = new LinkedHashMap<>();

  /**
   * @param workflow the workflow.xml
   * @param properties the job's properties (job.properties with its overrides, resolved)
   * @throws IllegalArgumentException when a required parameter is not given, as Oozie refuses the job
   */
  WorkflowWalker(Document workflow, Map<String, String> properties) {
    this.app = workflow.getDocumentElement();
    if (!OozieApp.WORKFLOW_NS.equals(app.getNamespaceURI()) || !app.getLocalName().equals("workflow-app")) {
      throw new IllegalArgumentException("not a " + OozieApp.WORKFLOW_NS + " workflow-app");
    }
    this.conf = new LinkedHashMap<>(properties);
    List<String> missing = OozieApp.applyParameters(app, conf);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("E0738: the following " + missing.size()
          + " parameters are required but were not defined and no default values are available: "
          + String.join(", ", missing));
    }
    this.el = new El(conf::get)
        .function("fs:exists", a -> exists(El.text(a.get(0))))
        .function("wf:lastErrorNode", a -> lastErrorNode)
        .function("wf:errorMessage", a -> errorMessages.getOrDefault(El.text(a.get(0)), ""));
  }

  /** The workflow's configuration: properties and parameter defaults. */
  Map<String, String> conf() {
    return conf;
  }

  String evaluate(String template) {
    return el.evaluate(template);
  }

  /** Where a decision node goes now (its first true case, else its default), without walking. */
  String decide(String decisionName) {
    Element d = node(decisionName);
    if (!d.getLocalName().equals("decision")) {
      throw new IllegalArgumentException(decisionName + " is not a decision");
    }
    Element sw = OozieApp.child(d, "switch");
    for (Element c : OozieApp.children(sw, "case")) {
      if (el.test(c.getTextContent())) {
        return c.getAttribute("to");
      }
    }
    return OozieApp.child(sw, "default").getAttribute("to");
  }

  Walk walk() throws Exception {
    Walk walk = new Walk();
    Element start = OozieApp.child(app, "start");
    walk.visits.add(new Visit("start", "start"));
    String next = start.getAttribute("to");
    for (int steps = 0; ; steps++) {
      if (steps > 100) {
        throw new IllegalStateException("the workflow does not end: " + walk.names());
      }
      Element n = node(next);
      String kind = n.getLocalName();
      walk.visits.add(new Visit(next, kind));
      switch (kind) {
        case "end":
          return walk;
        case "kill":
          walk.killMessage = el.evaluate(OozieApp.childText(n, "message"));
          return walk;
        case "decision":
          next = decide(next);
          break;
        case "action":
          next = runAction(n, walk);
          break;
        default:
          throw new UnsupportedOperationException("the walker does not do <" + kind + "> (node " + next + ")");
      }
    }
  }

  private Element node(String name) {
    for (Element e : OozieApp.children(app)) {
      if (name.equals(e.getAttribute("name")) && !e.getLocalName().equals("parameters")) {
        return e;
      }
    }
    throw new IllegalStateException("no node named " + name);
  }

  /** Runs one java action; returns the node it goes to. */
  private String runAction(Element action, Walk walk) throws Exception {
    String name = action.getAttribute("name");
    Element java = OozieApp.child(action, "java");
    if (java == null) {
      throw new UnsupportedOperationException("action " + name + " is not a java action");
    }
    String resourceManager = el.evaluate(OozieApp.childText(java, "resource-manager"));
    String nameNode = el.evaluate(OozieApp.childText(java, "name-node"));
    if (!resourceManager.equals("local")) {
      throw new UnsupportedOperationException("the walker runs on the local runner only: resourceManager=local, got "
          + resourceManager);
    }
    Configuration launcher = new Configuration();
    launcher.set("fs.defaultFS", nameNode);
    launcher.set("mapreduce.framework.name", "local");
    Element configuration = OozieApp.child(java, "configuration");
    if (configuration != null) {
      for (Element p : OozieApp.children(configuration, "property")) {
        launcher.set(el.evaluate(OozieApp.childText(p, "name")), el.evaluate(OozieApp.childText(p, "value")));
      }
    }
    Element prepare = OozieApp.child(java, "prepare");
    if (prepare != null) {
      for (Element d : OozieApp.children(prepare, "delete")) {
        Path p = new Path(el.evaluate(d.getAttribute("path")));
        p.getFileSystem(launcher).delete(p, true);
      }
      if (!OozieApp.children(prepare, "mkdir").isEmpty()) {
        throw new UnsupportedOperationException("the walker does not do <prepare><mkdir>");
      }
    }
    String mainClass = OozieApp.childText(java, "main-class");
    if (!mainClass.equals(Taxoshard.class.getName())) {
      throw new UnsupportedOperationException("action " + name + " runs " + mainClass + ", not the driver");
    }
    List<String> args = new ArrayList<>();
    for (Element a : OozieApp.children(java, "arg")) {
      args.add(el.evaluate(a.getTextContent()));
    }
    walk.args.put(name, args);
    int rc = Taxoshard.run(launcher, args.toArray(new String[0]));
    walk.exits.put(name, rc);
    if (rc == 0) {
      return OozieApp.child(action, "ok").getAttribute("to");
    }
    lastErrorNode = name;
    // What Oozie reports when a java action's main class exits non-zero.
    errorMessages.put(name, "Main Class [" + mainClass + "], exit code [" + rc + "]");
    return OozieApp.child(action, "error").getAttribute("to");
  }

  private boolean exists(String path) {
    try {
      Path p = new Path(path);
      Configuration c = new Configuration();
      c.set("fs.defaultFS", conf.get("nameNode"));
      FileSystem fs = p.getFileSystem(c);
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
