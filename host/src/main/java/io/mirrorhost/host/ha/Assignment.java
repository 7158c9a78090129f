package io.mirrorhost.host.ha;

import java.util.List;
import java.util.Map;

/** The image map after one {@link ImageAssigner} decision and the changes that lead there, in order. */
public record Assignment(Map<ItemKey, MapEntry> map, List<AssignChange> changes) {
}
