/** The seeded dataset every test file starts from. */
export const TEST_ORDERS = 3_000;
export const TEST_SEED = 42;
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';
export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
