/**
 * @salesforce/user/Id: the Id of the signed-in user (18 characters), as Salesforce provides it
 * to components at load time.
 */
import { session } from '../session';

export default session().userId;
