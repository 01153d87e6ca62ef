package org.taxoshard.align;

/** The reference holds to the same contract, so the comparison in the X-drop test means something. */
class FullDynamicProgrammingAlignerTest extends GappedAlignerContract {
  @Override
  GappedAligner aligner() {
    return new FullDynamicProgrammingAligner();
  }
}
