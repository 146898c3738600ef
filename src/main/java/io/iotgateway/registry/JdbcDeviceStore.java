package io.iotgateway.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.iotgateway.credential.DeviceId;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code device} table through {@link JdbcClient}. Plain SQL that runs unchanged on H2 and PostgreSQL; rows are
 * ordered by product key and device name (in the database's collation).
 */
final class JdbcDeviceStore {

    private static final String COLUMNS = "product_key, device_name, key_id, secret_sealed, description, created_at, "
            + "updated_at";

    private final JdbcClient jdbc;

    JdbcDeviceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StoredDevice> find(DeviceId id) {
        return this.jdbc.sql("select " + COLUMNS + " from device where product_key = ? and device_name = ?")
            .params(id.productKey(), id.deviceName())
            .query(JdbcDeviceStore::row)
            .optional();
    }

    boolean exists(DeviceId id) {
        return this.jdbc.sql("select count(*) from device where product_key = ? and device_name = ?")
            .params(id.productKey(), id.deviceName())
            .query(Long.class)
            .single() > 0;
    }

    List<DeviceId> ids() {
        return this.jdbc.sql("select product_key, device_name from device order by product_key, device_name")
            .query((rs, n) -> new DeviceId(rs.getString(1), rs.getString(2)))
            .list();
    }

    /**
     * One page of devices.
     * @param productKey only this product's devices, or all when {@code null}
     * @param excluded devices left out (the ones configuration overrides)
     */
    List<StoredDevice> page(@Nullable String productKey, Collection<DeviceId> excluded, long offset, int limit) {
        return this.jdbc.sql("select " + COLUMNS + " from device" + where(productKey, excluded)
                + " order by product_key, device_name offset :offset rows fetch next :limit rows only")
            .params(filter(productKey, excluded))
            .param("offset", offset)
            .param("limit", limit)
            .query(JdbcDeviceStore::row)
            .list();
    }

    long count(@Nullable String productKey, Collection<DeviceId> excluded) {
        return this.jdbc.sql("select count(*) from device" + where(productKey, excluded))
            .params(filter(productKey, excluded))
            .query(Long.class)
            .single();
    }

    void insert(StoredDevice device) {
        this.jdbc.sql("insert into device (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?)")
            .params(device.id().productKey(), device.id().deviceName(), device.sealed().keyId(),
                    device.sealed().ciphertext(), device.description(), utc(device.createdAt()),
                    utc(device.updatedAt()))
            .update();
    }

    void update(StoredDevice device) {
        this.jdbc.sql("update device set key_id = ?, secret_sealed = ?, description = ?, updated_at = ? "
                + "where product_key = ? and device_name = ?")
            .params(device.sealed().keyId(), device.sealed().ciphertext(), device.description(),
                    utc(device.updatedAt()), device.id().productKey(), device.id().deviceName())
            .update();
    }

    /** Replaces the sealed secret only if the row still holds {@code expected}: re-encryption never undoes a write. */
    boolean reseal(DeviceId id, SecretCipher.Sealed expected, SecretCipher.Sealed replacement) {
        return this.jdbc.sql("update device set key_id = ?, secret_sealed = ? where product_key = ? and "
                + "device_name = ? and key_id = ? and secret_sealed = ?")
            .params(replacement.keyId(), replacement.ciphertext(), id.productKey(), id.deviceName(),
                    expected.keyId(), expected.ciphertext())
            .update() == 1;
    }

    boolean delete(DeviceId id) {
        return this.jdbc.sql("delete from device where product_key = ? and device_name = ?")
            .params(id.productKey(), id.deviceName())
            .update() == 1;
    }

    /** How many devices each master key encrypted. */
    Map<String, Long> countByKeyId() {
        Map<String, Long> counts = new LinkedHashMap<>();
        this.jdbc.sql("select key_id, count(*) from device group by key_id order by key_id")
            .query((ResultSet rs) -> {
                counts.put(rs.getString(1), rs.getLong(2));
            });
        return counts;
    }

    /** Up to {@code limit} devices whose secret another key than {@code keyId} encrypted. */
    List<StoredDevice> notUnderKey(String keyId, int limit) {
        return this.jdbc.sql("select " + COLUMNS + " from device where key_id <> ? order by product_key, device_name "
                + "fetch first ? rows only")
            .params(keyId, limit)
            .query(JdbcDeviceStore::row)
            .list();
    }

    Optional<StoredDevice> anyUnderKey(String keyId) {
        return this.jdbc.sql("select " + COLUMNS + " from device where key_id = ? order by product_key, device_name "
                + "fetch first 1 rows only")
            .param(keyId)
            .query(JdbcDeviceStore::row)
            .optional();
    }

    private static String where(@Nullable String productKey, Collection<DeviceId> excluded) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        if (productKey != null) {
            where.append(" and product_key = :productKey");
        }
        if (!excluded.isEmpty()) {
            where.append(" and product_key || '/' || device_name not in (:excluded)");
        }
        return where.toString();
    }

    private static Map<String, Object> filter(@Nullable String productKey, Collection<DeviceId> excluded) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (productKey != null) {
            params.put("productKey", productKey);
        }
        if (!excluded.isEmpty()) {
            params.put("excluded", excluded.stream().map(DeviceId::toString).toList());
        }
        return params;
    }

    private static StoredDevice row(ResultSet rs, int rowNum) throws SQLException {
        return new StoredDevice(new DeviceId(rs.getString("product_key"), rs.getString("device_name")),
                new SecretCipher.Sealed(rs.getString("key_id"), rs.getString("secret_sealed")),
                rs.getString("description"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
