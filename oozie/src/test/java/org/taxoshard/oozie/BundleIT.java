package org.taxoshard.oozie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * What mvn package leaves to deploy: target/taxoshard-oozie-app/ is the application folder
 * (workflow.xml, coordinator.xml, the properties) with the driver's job jar in lib/ (Taxoshard and
 * its libraries, no Hadoop), and target/taxoshard-oozie-VERSION-app.tar.gz holds the same under
 * taxoshard/.
 */
class BundleIT {
  static final List<String> APP_FILES = List.of("workflow.xml", "coordinator.xml", "job.properties",
      "coordinator.properties");

  static Path target() {
    return Paths.get(System.getProperty("basedir", "."), "target").toAbsolutePath();
  }

  @Test
  void theAppFolderHoldsTheDefinitionsAndTheJobJar() throws Exception {
    Path app = target().resolve("taxoshard-oozie-app");
    for (String f : APP_FILES) {
      assertArrayEquals(Files.readAllBytes(OozieApp.file(f)), Files.readAllBytes(app.resolve(f)), f + " copied unchanged");
    }
    File[] jars = app.resolve("lib").toFile().listFiles((d, n) -> n.endsWith(".jar"));
    assertNotNull(jars);
    assertEquals(1, jars.length, "one jar in lib/");
    assertTrue(jars[0].getName().matches("taxoshard-driver-.+-job\\.jar"), jars[0].getName());
    try (JarFile jar = new JarFile(jars[0])) {
      assertNotNull(jar.getEntry("org/taxoshard/driver/Taxoshard.class"), "the workflow's main class");
      assertNotNull(jar.getEntry("org/taxoshard/jobs/ScanJob.class"), "the jobs");
      assertNull(jar.getEntry("org/apache/hadoop/conf/Configuration.class"), "Hadoop comes from the cluster");
    }
  }

  @Test
  void theTarballHoldsTheSameUnderTaxoshard() throws Exception {
    File[] tars = target().toFile().listFiles((d, n) -> n.startsWith("taxoshard-oozie-") && n.endsWith("-app.tar.gz"));
    assertNotNull(tars);
    assertEquals(1, tars.length);
    Map<String, byte[]> entries = untar(tars[0]);
    for (String f : APP_FILES) {
      assertArrayEquals(Files.readAllBytes(OozieApp.file(f)), entries.get("taxoshard/" + f), f);
    }
    List<String> jars = new ArrayList<>();
    for (String name : entries.keySet()) {
      if (name.startsWith("taxoshard/lib/") && name.endsWith(".jar")) {
        jars.add(name);
      }
    }
    assertEquals(1, jars.size(), jars.toString());
    assertTrue(jars.get(0).matches("taxoshard/lib/taxoshard-driver-.+-job\\.jar"), jars.get(0));
  }

  /** The regular files of a .tar.gz (ustar headers; no long names here), by path. */
  static Map<String, byte[]> untar(File tarGz) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(tarGz.toPath()))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512) {
        if (header[0] == 0) {
          break;
        }
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = Long.parseLong(field(header, 124, 12).trim(), 8);
        byte type = header[156];
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(in.readNBytes((int) size));
        long pad = (512 - size % 512) % 512;
        in.readNBytes((int) pad);
        if (type == '0' || type == 0) {
          out.put(name, body.toByteArray());
        }
      }
    }
    return out;
  }

  private static String field(byte[] h, int from, int length) {
    int end = from;
    while (end < from + length && h[end] != 0) {
      end++;
    }
    return new String(h, from, end - from, StandardCharsets.UTF_8);
  }
}
