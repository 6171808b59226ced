/** The "create a new bucket" row of a bucket list (wizard and migrate dialog): a key no bucket name can have. */
export const newBucketKey = '\u0000new';
export const newBucketLabel = '+ create a new bucket';
