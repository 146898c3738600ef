package io.iotgateway.emulator;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.iotgateway.emulator.thing.ThingModel;

import org.springframework.core.io.ResourceLoader;

/**
 * The thing model of each product the emulator checks, read once at start from
 * {@code gateway.emulator.thing-models}; the demo product has the model shipped with the emulator unless configured.
 */
final class ThingModels {

    static final String DEMO_PRODUCT = "a61QmwQD5ZF";

    static final String DEMO_MODEL = "classpath:emulator/a61QmwQD5ZF-thing-model.json";

    private final Map<String, ThingModel> byProduct;

    private ThingModels(Map<String, ThingModel> byProduct) {
        this.byProduct = Map.copyOf(byProduct);
    }

    /**
     * Reads every configured model.
     * @param locations resource locations by product key; a blank location means no model
     * @throws IllegalArgumentException when a model cannot be read, so that a wrong path fails the start
     */
    static ThingModels load(Map<String, String> locations, ResourceLoader resources) {
        Map<String, String> withDemo = new HashMap<>(locations);
        withDemo.putIfAbsent(DEMO_PRODUCT, DEMO_MODEL);
        Map<String, ThingModel> models = new HashMap<>();
        withDemo.forEach((productKey, location) -> {
            if (!location.isBlank()) {
                models.put(productKey, ThingModel.load(resources.getResource(location.trim())));
            }
        });
        return new ThingModels(models);
    }

    /** The product's model, or empty when the emulator accepts any identifier for it. */
    Optional<ThingModel> of(String productKey) {
        return Optional.ofNullable(this.byProduct.get(productKey));
    }

    /** The products that have a model. */
    Set<String> products() {
        return this.byProduct.keySet();
    }
}
