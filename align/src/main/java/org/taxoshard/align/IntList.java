package org.taxoshard.align;

import java.util.Arrays;

/** A growable list of ints without boxing. */
final class IntList {
  private int[] data = new int[1024];
  private int size;

  void add(int v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[size++] = v;
  }

  int get(int i) {
    return data[i];
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }
}
