package org.akkaredis.keyspace;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sorted set value: a map from member to its node, and a skip list ordered by (score, member bytes) whose links
 * carry spans, so that lookups by score, by member range and by rank are all O(log n), as in Redis's zskiplist.
 * Scores compare as C doubles do (-0 equals 0; NaN never gets in). {@code listpack} records the encoding Redis
 * would report; the order is the same in both, only OBJECT ENCODING and ZSCAN see it.
 */
public final class RedisZSet {
  static final int MAX_LEVEL = 32;

  /**
   * One member in the skip list. On level i it links forward to the node {@code span(i)} positions on. Levels 0 to
   * 2 are fields, inline as Redis keeps a node's levels: a walk's step then reads the node it reaches and nothing
   * else (63 nodes in 64 have no more levels, and then no arrays).
   */
  public static final class Node {
    /** Levels kept as fields. */
    static final int INLINE = 3;
    public final Key member;
    /** Changed only by {@link RedisZSet#put}, with the node out of the list or kept between its neighbours. */
    public double score;
    Node prev;
    private final byte levels;
    private Node next0;
    private Node next1;
    private Node next2;
    private int span0;
    private int span1;
    private int span2;
    /** Levels INLINE and up, or null. */
    private final Node[] upper;
    private final int[] upperSpans;

    Node(Key member, double score, int levels) {
      this.member = member;
      this.score = score;
      this.levels = (byte) levels;
      this.upper = levels > INLINE ? new Node[levels - INLINE] : null;
      this.upperSpans = levels > INLINE ? new int[levels - INLINE] : null;
    }

    /** Levels this node is linked on. */
    int levels() {
      return levels;
    }

    Node forward(int level) {
      return switch (level) {
        case 0 -> next0;
        case 1 -> next1;
        case 2 -> next2;
        default -> upper[level - INLINE];
      };
    }

    void forward(int level, Node node) {
      switch (level) {
        case 0 -> next0 = node;
        case 1 -> next1 = node;
        case 2 -> next2 = node;
        default -> upper[level - INLINE] = node;
      }
    }

    int span(int level) {
      return switch (level) {
        case 0 -> span0;
        case 1 -> span1;
        case 2 -> span2;
        default -> upperSpans[level - INLINE];
      };
    }

    void span(int level, int span) {
      switch (level) {
        case 0 -> span0 = span;
        case 1 -> span1 = span;
        case 2 -> span2 = span;
        default -> upperSpans[level - INLINE] = span;
      }
    }

    /** The following node in ascending order, or null. */
    public Node next() {
      return next0;
    }

    /** The preceding node, or null. */
    public Node prev() {
      return prev;
    }
  }

  /** The member map: the skip-list nodes themselves, by member (no map node beside each). */
  private final KeyTable<Node> nodes = new NodeTable();
  private final Node head = new Node(null, 0, MAX_LEVEL);
  private Node tail;
  private int level = 1;
  /** Nodes in the skip list (the map may briefly hold a member being re-linked). */
  private int length;
  private boolean listpack;
  private long insertions;
  private ScanIndex scan;
  /** Its nodes with their members' arrays as the dataset estimate counts them ({@link MemoryUsage#tracked}). */
  private long nodeBytes;

  /** A new sorted set in the encoding Redis picks for its first member (zsetTypeCreate). */
  public RedisZSet(long maxListpackEntries, long maxListpackValue, int firstMemberLength) {
    listpack = maxListpackEntries > 0 && firstMemberLength <= maxListpackValue;
  }

  private static final class NodeTable extends KeyTable<Node> {
    @Override Key keyOf(Node node) {
      return node.member;
    }
  }

  public int size() {
    return nodes.size();
  }

  long nodeBytes() {
    return nodeBytes;
  }

  /** Slots of the member map's table. */
  int tableCapacity() {
    return nodes.capacity();
  }

  ScanIndex scanIndex() {
    return scan;
  }

  public String encoding() {
    return listpack ? "listpack" : "skiplist";
  }

  public boolean isListpack() {
    return listpack;
  }

  /** The score of a member, or null. */
  public Double score(Key member) {
    Node node = nodes.get(member);
    return node == null ? null : node.score;
  }

  /**
   * Sets a member's score (adding the member if new), converting to skiplist as Redis's zsetAdd does before an
   * insertion past the limits. A listpack keeps no negative zero. Returns true if the member was new.
   */
  public boolean put(Key member, double score, long maxListpackEntries, long maxListpackValue) {
    Node old = nodes.get(member);
    if (old == null && listpack
        && (nodes.size() + 1 > maxListpackEntries || member.bytes().length > maxListpackValue)) {
      listpack = false;
    }
    if (listpack && score == 0) score = 0.0;
    if (old == null) {
      insertions++;
      Node node = new Node(member, score, randomLevel());
      nodeBytes += MemoryUsage.trackedNode(node);
      nodes.put(link(node));
      return true;
    }
    if (old.score == score) return false;
    if ((old.prev == null || compare(old.prev, score, member) < 0)
        && (old.next0 == null || compare(old.next0, score, member) > 0)) {
      // Still between its neighbours: the order and every span hold as they are (Redis's zslUpdateScore).
      old.score = score;
      return false;
    }
    // Moves: the same node (its levels, its map entry) is linked again at its new place.
    relink(old, score);
    return false;
  }

  public boolean remove(Key member) {
    Node node = nodes.remove(member);
    if (node == null) return false;
    nodeBytes -= MemoryUsage.trackedNode(node);
    unlink(node);
    return true;
  }

  /** After a *STORE built this set: the encoding Redis converts the result to (zsetConvertToListpackIfNeeded). */
  public void fitEncoding(long maxListpackEntries, long maxListpackValue) {
    int longest = 0;
    for (Key member : nodes.keys()) longest = Math.max(longest, member.bytes().length);
    listpack = nodes.size() <= maxListpackEntries && longest <= maxListpackValue;
  }

  public Node first() {
    return head.forward(0);
  }

  public Node last() {
    return tail;
  }

  /** The node at a 0-based rank, or null when out of range. */
  public Node byRank(long rank) {
    if (rank < 0 || rank >= length) return null;
    long traversed = 0;
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward(i) != null && traversed + x.span(i) <= rank + 1) {
        traversed += x.span(i);
        x = x.forward(i);
      }
      if (traversed == rank + 1) return x;
    }
    return null;
  }

  /** The 0-based rank of a member, or -1 when absent. */
  public long rank(Key member) {
    Node node = nodes.get(member);
    if (node == null) return -1;
    long rank = 0;
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward(i) != null && compare(x.forward(i), node.score, member) <= 0) {
        rank += x.span(i);
        x = x.forward(i);
      }
      if (x == node) return rank - 1;
    }
    return -1;
  }

  /** The first node at or after a position: the first whose score is above {@code min} (or equal, if inclusive). */
  public Node firstWithScore(double min, boolean exclusive) {
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      for (Node f = x.forward(i); f != null && (exclusive ? f.score <= min : f.score < min); f = x.forward(i)) x = f;
    }
    return x.forward(0);
  }

  /** The last node whose score is below {@code max} (or equal, if inclusive), or null. */
  public Node lastWithScore(double max, boolean exclusive) {
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      for (Node f = x.forward(i); f != null && (exclusive ? f.score < max : f.score <= max); f = x.forward(i)) x = f;
    }
    return x == head ? null : x;
  }

  /**
   * The first node whose member is after {@code min} in byte order (or equal, if inclusive); null min means "-".
   * Meaningful when all scores are equal, as ZRANGEBYLEX requires.
   */
  public Node firstWithMember(byte[] min, boolean exclusive) {
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      if (min == null) break;
      for (Node f = x.forward(i); f != null && below(f.member.bytes(), min, exclusive); f = x.forward(i)) x = f;
    }
    return x.forward(0);
  }

  /** The last node whose member is before {@code max} (or equal, if inclusive); null max means "+". */
  public Node lastWithMember(byte[] max, boolean exclusive) {
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      for (Node f = x.forward(i); f != null && (max == null || !below(max, f.member.bytes(), exclusive));
          f = x.forward(i)) {
        x = f;
      }
    }
    return x == head ? null : x;
  }

  /** a < b, or a ≤ b when {@code orEqual}. */
  private static boolean below(byte[] a, byte[] b, boolean orEqual) {
    int c = java.util.Arrays.compareUnsigned(a, b);
    return orEqual ? c <= 0 : c < 0;
  }

  /** One ZSCAN step over a skiplist-encoded set (see {@link ScanIndex}). */
  public long scan(long cursor, long count, List<Key> out) {
    if (scan == null) scan = new ScanIndex();
    long next = scan.scan(cursor, count, insertions, nodes.keys(), nodes::containsKey, out);
    if (next == 0) scan = null;
    return next;
  }

  public RedisZSet copy() {
    RedisZSet copy = new RedisZSet(1, 1, 0);
    for (Node n = first(); n != null; n = n.next()) {
      Node node = new Node(n.member, n.score, randomLevel());
      copy.nodeBytes += MemoryUsage.trackedNode(node);
      copy.nodes.put(copy.link(node));
    }
    copy.listpack = listpack;
    return copy;
  }

  // ---- the skip list ----------------------------------------------------------------------------------------

  private static int compare(Node node, double score, Key member) {
    if (node.score < score) return -1;
    if (node.score > score) return 1;
    return node.member.compareTo(member);
  }

  private static int randomLevel() {
    int lvl = 1;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (lvl < MAX_LEVEL && random.nextInt(4) == 0) lvl++;
    return lvl;
  }

  /** Links a node that is in no list at the place of its score and member, on its own levels; returns it. */
  private Node link(Node node) {
    double score = node.score;
    Key member = node.member;
    int lvl = node.levels();
    // Scratch sized by the levels in use (a handful), not MAX_LEVEL: most of a small set's work is allocation.
    Node[] update = new Node[Math.max(level, lvl)];
    int[] rank = new int[update.length];
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      rank[i] = i == level - 1 ? 0 : rank[i + 1];
      while (x.forward(i) != null && compare(x.forward(i), score, member) < 0) {
        rank[i] += x.span(i);
        x = x.forward(i);
      }
      update[i] = x;
    }
    return linkAt(node, update, rank);
  }

  /**
   * Links a node that is in no list after {@code update[i]} on each level i, whose ranks (1-based, 0 for the
   * head) are {@code rank[i]}; both arrays cover the levels in use and the node's.
   */
  private Node linkAt(Node node, Node[] update, int[] rank) {
    int lvl = node.levels();
    if (lvl > level) {
      for (int i = level; i < lvl; i++) {
        rank[i] = 0;
        update[i] = head;
        update[i].span(i, length);
      }
      level = lvl;
    }
    for (int i = 0; i < lvl; i++) {
      node.forward(i, update[i].forward(i));
      update[i].forward(i, node);
      node.span(i, update[i].span(i) - (rank[0] - rank[i]));
      update[i].span(i, (rank[0] - rank[i]) + 1);
    }
    for (int i = lvl; i < level; i++) update[i].span(i, update[i].span(i) + 1);
    node.prev = update[0] == head ? null : update[0];
    if (node.forward(0) != null) node.forward(0).prev = node;
    else tail = node;
    length++;
    return node;
  }

  /** Removes a node that is in the list; {@code nodes} is left to the caller. */
  private void unlink(Node node) {
    Node[] update = new Node[level];
    Node x = head;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward(i) != null && compare(x.forward(i), node.score, node.member) < 0) x = x.forward(i);
      update[i] = x;
    }
    unlinkAt(node, update);
  }

  /**
   * Moves a linked node to a new score (different from its own) in one walk instead of an unlink's and a link's:
   * the walks for the lower and the higher of its two places share their way down, the higher one going on from
   * where the lower one stopped on each level. The place is then fixed up for the node's removal (a predecessor
   * that was the node itself becomes the node's own predecessor; ranks past it drop by one).
   */
  private void relink(Node node, double score) {
    boolean up = score > node.score;
    double lowScore = up ? node.score : score;
    double highScore = up ? score : node.score;
    Key member = node.member;
    int levels = level;
    Node[] low = new Node[levels];
    Node[] high = new Node[levels];
    int[] lowRank = new int[levels];
    int[] highRank = new int[levels];
    Node xl = head;
    Node xh = head;
    int rl = 0;
    int rh = 0;
    for (int i = levels - 1; i >= 0; i--) {
      for (Node f = xl.forward(i); f != null && compare(f, lowScore, member) < 0; f = xl.forward(i)) {
        rl += xl.span(i);
        xl = f;
      }
      low[i] = xl;
      lowRank[i] = rl;
      // Everything the lower walk passed is below the higher place too.
      if (rl > rh) {
        xh = xl;
        rh = rl;
      }
      for (Node f = xh.forward(i); f != null && compare(f, highScore, member) < 0; f = xh.forward(i)) {
        rh += xh.span(i);
        xh = f;
      }
      high[i] = xh;
      highRank[i] = rh;
    }
    if (up) {
      // The node sits at the lower place: it goes, and the higher place is as it will be without it.
      unlinkAt(node, low);
      int nodeRank = lowRank[0] + 1;
      for (int i = 0; i < levels; i++) {
        if (high[i] == node) {
          high[i] = low[i];
          highRank[i] = lowRank[i];
        } else if (highRank[i] > nodeRank) {
          highRank[i]--;
        }
      }
      node.score = score;
      linkAt(node, high, highRank);
    } else {
      // The node sits at the higher place; the lower one is before it, untouched by its removal.
      unlinkAt(node, high);
      node.score = score;
      linkAt(node, low, lowRank);
    }
  }

  /** Removes a node that is in the list, {@code update[i]} being its predecessor on each level i in use. */
  private void unlinkAt(Node node, Node[] update) {
    for (int i = 0; i < level; i++) {
      if (update[i].forward(i) == node) {
        update[i].span(i, update[i].span(i) + node.span(i) - 1);
        update[i].forward(i, node.forward(i));
      } else {
        update[i].span(i, update[i].span(i) - 1);
      }
    }
    if (node.forward(0) != null) node.forward(0).prev = node.prev;
    else tail = node.prev;
    length--;
    while (level > 1 && head.forward(level - 1) == null) level--;
  }
}
