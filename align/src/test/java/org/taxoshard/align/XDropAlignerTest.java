package org.taxoshard.align;

class XDropAlignerTest extends GappedAlignerContract {
  @Override
  GappedAligner aligner() {
    return new XDropAligner();
  }
}
