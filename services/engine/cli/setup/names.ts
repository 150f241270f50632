/** Permission set names of the package (force-app/main/default/permissionsets). */
export const INTEGRATION_PERMISSION_SET = 'ASL_Engine_Integration';

/** The role permission sets the Setup checklist and `asl doctor` look for. */
export const ROLE_PERMISSION_SETS = ['ASL_SDR', 'ASL_Coordinator', 'ASL_Account_Executive', 'ASL_Manager', 'ASL_Marketing', 'ASL_RevOps'] as const;
