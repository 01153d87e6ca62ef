package org.taxoshard.jobs;

import org.apache.hadoop.io.GenericWritable;
import org.apache.hadoop.io.Writable;

/** What the scan's shuffle carries: partial statistics (bin, file, split, total keys) or an id's places. */
public class ScanValue extends GenericWritable {
  @SuppressWarnings("unchecked")
  private static final Class<? extends Writable>[] TYPES = new Class[] {PartialStats.class, IdPlace.class};

  public ScanValue() {}

  ScanValue(Writable w) {
    set(w);
  }

  @Override
  protected Class<? extends Writable>[] getTypes() {
    return TYPES;
  }

  PartialStats stats() {
    return (PartialStats) get();
  }

  IdPlace place() {
    return (IdPlace) get();
  }
}
