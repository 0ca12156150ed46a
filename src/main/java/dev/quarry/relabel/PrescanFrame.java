package dev.quarry.relabel;

/**
 * An open group of the expression {@link Re2Prescan} reads: the items of its current concatenation
 * and branches, and what they need (copies for Go's repeat limit, tree height, program size,
 * non-consuming steps). Owned by one prescan.
 */
final class PrescanFrame {
  final boolean capture;

  /** Largest "copies needed" (Go's repeatIsValid) and height of the finished items. */
  long doneCopies;

  int doneHeight;

  /** The item a repetition operator would apply to; copies -1 when there is none. */
  long lastCopies = -1;

  int lastHeight;
  int items;
  boolean alternation;

  /** Non-consuming steps of the finished items, of the last item, of the other branches. */
  EmptySteps seq = EmptySteps.EMPTY;

  EmptySteps lastSteps;
  EmptySteps branches;
  int branchCount;

  /** Program size, as Go's calcSize counts it, of the finished items, the last, the branches. */
  long seqSize;

  long lastSize;
  long branchSize;

  PrescanFrame(boolean capture) {
    this.capture = capture;
  }

  void fold() {
    if (lastCopies >= 0) {
      doneCopies = Math.max(doneCopies, lastCopies);
      doneHeight = Math.max(doneHeight, lastHeight);
      lastCopies = -1;
      lastHeight = 0;
      seq = seq.then(lastSteps);
      lastSteps = null;
      seqSize = Math.min(Re2Prescan.MAX_SIZE + 1, seqSize + lastSize);
      lastSize = 0;
    }
  }

  void item(long copies, int height, EmptySteps steps) {
    item(copies, height, steps, 1);
  }

  void item(long copies, int height, EmptySteps steps, long size) {
    fold();
    lastCopies = copies;
    lastHeight = height;
    lastSteps = steps;
    lastSize = size;
    items++;
  }

  void bar() {
    fold();
    alternation = true;
    branches = branches == null ? seq : branches.or(seq);
    branchCount++;
    seq = EmptySteps.EMPTY;
    branchSize = Math.min(Re2Prescan.MAX_SIZE + 1, branchSize + seqSize);
    seqSize = 0;
  }

  long size() {
    fold();
    return Math.min(Re2Prescan.MAX_SIZE + 1, branchSize + seqSize + branchCount);
  }

  EmptySteps steps() {
    fold();
    return branches == null ? seq : branches.or(seq).choices(branchCount + 1);
  }

  long copies() {
    return Math.max(doneCopies, lastCopies);
  }

  /** Height of this frame's content: its tallest item, plus one for a concat or alternation. */
  int contentHeight() {
    int h = Math.max(doneHeight, lastHeight);
    return items > 1 || alternation ? h + 1 : h;
  }
}
