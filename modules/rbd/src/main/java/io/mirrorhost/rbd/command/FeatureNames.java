package io.mirrorhost.rbd.command;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ImageFeature;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Feature names as rbd reads them: comma-separated lists, names from librbd's feature table. */
final class FeatureNames {

    private FeatureNames() {
    }

    /**
     * @param option the option the names came from ({@code --image-feature}), or empty for the positional
     *               names of {@code rbd feature enable}, which boost reports without an option name
     */
    static Set<ImageFeature> parse(List<String> values, String option) {
        Set<ImageFeature> features = EnumSet.noneOf(ImageFeature.class);
        for (String value : values) {
            for (String token : value.split(",")) {
                if (token.isEmpty()) {
                    continue;
                }
                ImageFeature feature = ImageFeature.byName(token).orElseThrow(() -> invalid(option));
                features.add(feature);
            }
        }
        return features;
    }

    private static CommandException invalid(String option) {
        String where = option.isEmpty() ? "option" : "option '" + option + "'";
        return new CommandException(Errno.EPERM, "rbd: the argument for " + where + " is invalid");
    }
}
