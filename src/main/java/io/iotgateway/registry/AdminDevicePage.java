package io.iotgateway.registry;

import java.util.List;

/**
 * One page of the admin device list.
 *
 * @param items the devices of this page: configured devices first, then registry devices, each sorted by product
 * key and device name
 * @param page this page's number, from 0
 * @param size the page size asked for
 * @param totalItems how many devices match
 * @param totalPages how many pages of this size there are
 */
record AdminDevicePage(List<AdminDeviceView> items, int page, int size, long totalItems, long totalPages) {
}
