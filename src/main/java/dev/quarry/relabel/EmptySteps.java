package dev.quarry.relabel;

/**
 * An upper bound, per piece of an RE2 expression, on how many instructions re2j's matcher walks
 * without consuming input. re2j follows those instructions by recursion (one Java frame each), so a
 * long enough run overflows the thread's stack where Go, whose stacks grow, gets by: {@code
 * (w1|w2|…|w6000)_total} does. {@link Re2Pattern} matches such expressions on a thread with a large
 * stack.
 *
 * <p>Counted as the program Go and re2j compile from the parse tree: {@code x{n,m}} is n copies of
 * x and m-n nested {@code x?}; an alternation of k branches is a chain of k-1 choices; a capture
 * adds two instructions. Factoring of alternations can only shorten the real runs. Immutable.
 *
 * @param nullable whether the piece can match the empty string
 * @param pass steps from its entry to its exit without consuming, NONE when it cannot
 * @param head steps from its entry to an instruction inside it that consumes
 * @param tail steps from just after a consuming instruction inside it to its exit
 * @param inner steps between two consuming instructions inside it
 */
record EmptySteps(boolean nullable, long pass, long head, long tail, long inner) {
  /** No such path. */
  static final long NONE = Long.MIN_VALUE / 4;

  /** Beyond any stack: sums stop growing here. */
  private static final long CAP = 1L << 40;

  /** The empty expression. */
  static final EmptySteps EMPTY = new EmptySteps(true, 0, NONE, NONE, NONE);

  /** One character, class or any-character: consumes. */
  static final EmptySteps CHAR = new EmptySteps(false, NONE, 1, 0, NONE);

  /** {@code ^}, {@code $}, {@code \b} and the other empty-width assertions. */
  static final EmptySteps ASSERTION = new EmptySteps(true, 1, NONE, NONE, NONE);

  private static long add(long a, long b) {
    if (a <= NONE / 2 || b <= NONE / 2) {
      return NONE;
    }
    return Math.min(CAP, a + b);
  }

  private static long max(long a, long b, long c) {
    return Math.max(a, Math.max(b, c));
  }

  /** The longest run anywhere in this piece. */
  long longest() {
    return Math.max(Math.max(pass, head), Math.max(tail, inner));
  }

  /** This piece followed by {@code b}. */
  EmptySteps then(EmptySteps b) {
    return new EmptySteps(
        nullable && b.nullable,
        add(pass, b.pass),
        Math.max(head, add(pass, b.head)),
        Math.max(b.tail, add(tail, b.pass)),
        max(inner, b.inner, add(tail, b.head)));
  }

  /** The branch-wise maximum, for an alternation of this and {@code b} (choices not counted). */
  EmptySteps or(EmptySteps b) {
    return new EmptySteps(
        nullable || b.nullable,
        Math.max(pass, b.pass),
        Math.max(head, b.head),
        Math.max(tail, b.tail),
        Math.max(inner, b.inner));
  }

  /** An alternation of {@code branches} branches whose branch-wise maximum this is. */
  EmptySteps choices(int branches) {
    long c = branches - 1;
    return new EmptySteps(nullable, add(pass, c), add(head, c), tail, inner);
  }

  /** A capturing group around this piece. */
  EmptySteps captured() {
    return new EmptySteps(nullable, add(pass, 2), add(head, 1), add(tail, 1), inner);
  }

  /** {@code x?}. */
  EmptySteps optional() {
    return new EmptySteps(true, Math.max(1, add(pass, 1)), add(head, 1), tail, inner);
  }

  /** {@code x*}. */
  EmptySteps star() {
    return new EmptySteps(
        true,
        Math.max(1, add(pass, 1)),
        add(head, 1),
        add(tail, 1),
        Math.max(inner, add(add(tail, 1), head)));
  }

  /** {@code x+}. */
  EmptySteps plus() {
    return new EmptySteps(
        nullable, add(pass, 1), head, add(tail, 1), Math.max(inner, add(add(tail, 1), head)));
  }

  /** {@code x{min,max}}, max -1 for no upper bound; counts are at most 1,000. */
  EmptySteps repeat(long min, long max) {
    EmptySteps r = EMPTY;
    for (long i = 0; i < min; i++) {
      r = r.then(this);
    }
    if (max < 0) {
      return r.then(star());
    }
    EmptySteps q = EMPTY;
    for (long i = min; i < max; i++) {
      q = then(q).optional();
    }
    return r.then(q);
  }
}
