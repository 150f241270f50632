/**
 * @salesforce/i18n/timeZone: the signed-in user's time zone (User.TimeZoneSidKey), which
 * lightning-base-components use to show and read date-times, as on Salesforce.
 */
import { session } from '../session';

export default session().timeZone;
