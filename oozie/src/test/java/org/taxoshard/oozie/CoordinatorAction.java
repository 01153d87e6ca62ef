package org.taxoshard.oozie;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One action of coordinator.xml materialized as Oozie would for a nominal time: its one dataset's
 * instance URI (the uri-template at {@code coord:current(0)}), whether that instance is ready (its
 * done flag exists), and the workflow configuration the action passes (the coordinator's
 * properties, then the action's {@code <configuration>} evaluated with {@code coord:dataIn},
 * {@code coord:nominalTime} and {@code coord:formatTime}).
 */
final class CoordinatorAction {
  static final DateTimeFormatter OOZIE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

  final Element app;
  final Map<String, String> conf;
  final Instant nominal;
  final Duration frequency;
  final String dataInName;
  final String instanceUri;
  final String doneFlag;

  CoordinatorAction(Document coordinator, Map<String, String> properties, Instant nominal) {
    this.app = coordinator.getDocumentElement();
    if (!OozieApp.COORDINATOR_NS.equals(app.getNamespaceURI())) {
      throw new IllegalArgumentException("not a " + OozieApp.COORDINATOR_NS + " coordinator-app");
    }
    this.conf = new LinkedHashMap<>(properties);
    List<String> missing = OozieApp.applyParameters(app, conf);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("E0738: required coordinator parameters not defined: " + String.join(", ", missing));
    }
    this.nominal = nominal;
    El base = coordEl(conf, null);
    this.frequency = Duration.ofMinutes(Long.parseLong(base.evaluate(app.getAttribute("frequency"))));
    Instant start = Instant.from(OOZIE_TIME.parse(base.evaluate(app.getAttribute("start"))));
    if (nominal.isBefore(start) || Duration.between(start, nominal).toMinutes() % frequency.toMinutes() != 0) {
      throw new IllegalArgumentException(nominal + " is not an action time of a coordinator starting " + start
          + " every " + frequency);
    }
    Element dataIn = OozieApp.child(OozieApp.child(app, "input-events"), "data-in");
    this.dataInName = dataIn.getAttribute("name");
    Element dataset = null;
    for (Element d : OozieApp.children(OozieApp.child(app, "datasets"), "dataset")) {
      if (d.getAttribute("name").equals(dataIn.getAttribute("dataset"))) {
        dataset = d;
      }
    }
    if (dataset == null) {
      throw new IllegalStateException("no dataset " + dataIn.getAttribute("dataset"));
    }
    Duration datasetFrequency = Duration.ofMinutes(Long.parseLong(base.evaluate(dataset.getAttribute("frequency"))));
    // coord:current(n): the n-th dataset instance from the one at the nominal time.
    El instances = coordEl(conf, null).function("coord:current",
        a -> OOZIE_TIME.format(nominal.plus(datasetFrequency.multipliedBy(Long.parseLong(El.text(a.get(0)))))));
    Instant instance = Instant.from(OOZIE_TIME.parse(instances.evaluate(OozieApp.childText(dataIn, "instance"))));
    Map<String, String> templateVars = new LinkedHashMap<>(conf);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC).format(instance);
    templateVars.put("YEAR", stamp.substring(0, 4));
    templateVars.put("MONTH", stamp.substring(4, 6));
    templateVars.put("DAY", stamp.substring(6, 8));
    templateVars.put("HOUR", stamp.substring(8, 10));
    templateVars.put("MINUTE", stamp.substring(10, 12));
    this.instanceUri = new El(templateVars::get).evaluate(OozieApp.childText(dataset, "uri-template"));
    String flag = OozieApp.childText(dataset, "done-flag");
    this.doneFlag = flag == null ? "_SUCCESS" : flag;
  }

  /** The coordinator EL: properties, coord:minutes/hours/days, coord:nominalTime, coord:formatTime, coord:dataIn. */
  private El coordEl(Map<String, String> vars, String dataInUri) {
    El el = new El(vars::get)
        .function("coord:minutes", a -> Long.parseLong(El.text(a.get(0))))
        .function("coord:hours", a -> 60 * Long.parseLong(El.text(a.get(0))))
        .function("coord:days", a -> 1440 * Long.parseLong(El.text(a.get(0))))
        .function("coord:nominalTime", a -> OOZIE_TIME.format(nominal))
        .function("coord:formatTime", a -> DateTimeFormatter.ofPattern(El.text(a.get(1))).withZone(ZoneOffset.UTC)
            .format(Instant.from(OOZIE_TIME.parse(El.text(a.get(0))))));
    if (dataInUri != null) {
      el.function("coord:dataIn", a -> {
        if (!El.text(a.get(0)).equals(dataInName)) {
          throw new El.ElException("no data-in named " + a.get(0));
        }
        return dataInUri;
      });
    }
    return el;
  }

  /** Whether the action would start: its input's done flag is there. */
  boolean ready(Configuration hadoop) throws IOException {
    Path flag = new Path(instanceUri, doneFlag);
    return flag.getFileSystem(hadoop).exists(flag);
  }

  /** The app-path the action runs, evaluated. */
  String workflowAppPath() {
    return coordEl(conf, instanceUri).evaluate(OozieApp.childText(OozieApp.child(OozieApp.child(app, "action"), "workflow"),
        "app-path"));
  }

  /** The workflow's properties: the coordinator job's, then the action's configuration. */
  Map<String, String> workflowProperties() {
    Map<String, String> out = new LinkedHashMap<>(conf);
    El el = coordEl(conf, instanceUri);
    Element configuration = OozieApp.child(OozieApp.child(OozieApp.child(app, "action"), "workflow"), "configuration");
    if (configuration != null) {
      for (Element p : OozieApp.children(configuration, "property")) {
        out.put(OozieApp.childText(p, "name"), el.evaluate(OozieApp.childText(p, "value")));
      }
    }
    return out;
  }
}
